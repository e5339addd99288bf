"""Who knows X?: people ranked by listed, endorsed expertise and by what they wrote, in every location."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from expertise.models import ProfileSkill
from feed.models import Post
from search import selectors
from search.selectors import ELSEWHERE_LIMIT
from tests.factories import LocationFactory, PostFactory, ProfileFactory
from tests.helpers import skill_give

pytestmark = pytest.mark.django_db

# Measured once the viewer's first request of the day has recorded them as active (analytics).
# Session, user, viewer profile, roles; search.backends.postgres.session() (savepoint, planner
# settings with the skills' trigram bar, settings put back, release), skills, the skill an alias of
# the topic means, post authors (one aggregated query); then people listing the skills, and the
# people ranked.
EXPERTS_MAX_QUERIES = 13

L = ProfileSkill.Level


def _experts(client, topic: str) -> str:
    response = client.get("/search/experts/", {"topic": topic})
    assert response.status_code == 200
    return response.content.decode()


def _ranked(page: str) -> list[str]:
    return re.findall(r'<article class="card post-head expert".*?<strong>([^<]+)</strong>', page, re.S)


def _card(page: str, name: str) -> str:
    match = re.search(
        rf'<article class="card post-head expert"(?:(?!</article>).)*{re.escape(name)}.*?</article>',
        page,
        re.S,
    )
    assert match, f"{name} is not listed"
    return match.group(0)


def test_endorsed_expert_ranks_above_a_learner_with_no_endorsements(viewer_client):
    skill_give(ProfileFactory(display_name="Lee Learner"), "Kubernetes", level=L.LEARNING)
    skill_give(ProfileFactory(display_name="Eve Expert"), "Kubernetes", level=L.EXPERT, endorsements=12)
    skill_give(ProfileFactory(display_name="Pat Practised"), "Kubernetes", level=L.PRACTISED, endorsements=1)

    page = _experts(viewer_client, "Kubernetes")

    assert _ranked(page) == ["Eve Expert", "Pat Practised", "Lee Learner"]
    assert "Kubernetes · Expert · 12 endorsements" in _card(page, "Eve Expert")
    assert "Kubernetes · Learning" in _card(page, "Lee Learner")


def test_a_misspelt_topic_finds_the_experts(viewer_client):
    skill_give(ProfileFactory(display_name="Eve Expert"), "Kubernetes", level=L.EXPERT)

    assert _ranked(_experts(viewer_client, "kubernets")) == ["Eve Expert"]


def test_someone_who_wrote_about_the_topic_but_lists_no_skill_appears(viewer_client):
    writer = ProfileFactory(display_name="Wes Writer")
    for body in [
        "Our Kubernetes upgrade went fine",
        "kubernetes tip: drain nodes first",
        "More on Kubernetes",
    ]:
        PostFactory(author=writer, body=body)
    PostFactory(author=writer, body="Lunch is ready")
    skill_give(ProfileFactory(display_name="Lee Learner"), "Kubernetes", level=L.LEARNING)

    page = _experts(viewer_client, "kubernetes")

    assert _ranked(page) == ["Wes Writer", "Lee Learner"]
    assert "wrote 3 posts about it" in _card(page, "Wes Writer")


def test_writing_and_listing_the_skill_add_up(viewer_client):
    both = ProfileFactory(display_name="Bo Both")
    skill_give(both, "Terraform", level=L.ADVANCED, endorsements=2)
    PostFactory(author=both, body="Terraform modules for everyone")
    skill_give(ProfileFactory(display_name="Sid Skill"), "Terraform", level=L.ADVANCED, endorsements=2)

    page = _experts(viewer_client, "terraform")

    assert _ranked(page) == ["Bo Both", "Sid Skill"]
    card = _card(page, "Bo Both")
    assert "Terraform · Advanced · 2 endorsements" in card and "wrote 1 post about it" in card


def test_removed_posts_kudos_and_private_group_posts_do_not_count(viewer_client, author):
    from communities.models import Community

    secret = Community.objects.create(
        name="Secret", slug="secret", visibility=Community.Visibility.PRIVATE, created_by=author
    )
    PostFactory(
        author=ProfileFactory(display_name="Rex Removed"), body="Kubernetes!", removed_at=timezone.now()
    )
    PostFactory(
        author=ProfileFactory(display_name="Kay Kudos"), body="Thanks for Kubernetes", kind=Post.Kind.KUDOS
    )
    PostFactory(author=ProfileFactory(display_name="Pri Private"), body="Kubernetes plans", community=secret)

    page = _experts(viewer_client, "kubernetes")

    assert _ranked(page) == []
    assert "Nobody lists “kubernetes” as a skill or has written about it yet." in page


def test_people_in_other_locations_appear_labelled_with_their_location(viewer_client, colleague):
    tokyo = LocationFactory(name="Tokyo", time_zone="Asia/Tokyo")
    for n in range(15):  # the viewer's office alone could fill a page
        skill_give(
            ProfileFactory(display_name=f"Lisbon Expert {n:02d}"), "Rust", level=L.EXPERT, endorsements=20
        )
    skill_give(ProfileFactory(display_name="Tomo Tokyo", location=tokyo), "Rust", level=L.LEARNING)

    page = _experts(viewer_client, "rust")

    assert colleague.location.name == "Lisbon"
    near, elsewhere = page.split('id="experts-elsewhere"')
    assert "In Lisbon" in near and "Lisbon Expert 00" in near
    assert "Tomo Tokyo" in elsewhere
    assert "Tokyo" in _card(page, "Tomo Tokyo") and "local time" in _card(page, "Tomo Tokyo")
    assert "in 2 locations" in page


def test_the_best_holder_of_each_skill_is_weighed_however_many_list_another(viewer_client, monkeypatch):
    # Fewer candidates than holders, as with "Python" (16,000 holders) at 100,000 people.
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    for n in range(6):
        skill_give(ProfileFactory(display_name=f"Kim Learner {n}"), "Kubernetes", level=L.LEARNING)
    skill_give(ProfileFactory(display_name="Kai Keen"), "Kubernetes", level=L.ADVANCED, endorsements=1)
    olu = ProfileFactory(display_name="Olu Operator")
    skill_give(olu, "Kubernetes operators", level=L.EXPERT, endorsements=5)

    assert _ranked(_experts(viewer_client, "Kubernetes")) == ["Olu Operator", "Kai Keen"]


def test_deactivated_people_are_never_experts(viewer_client):
    gone = ProfileFactory(display_name="Gus Gone", user__is_active=False)
    skill_give(gone, "Rust", level=L.EXPERT, endorsements=30)
    PostFactory(author=gone, body="Rust rust rust")

    page = _experts(viewer_client, "rust")

    assert "Gus Gone" not in page


def test_too_long_topic_says_so(viewer_client):
    response = viewer_client.get("/search/experts/", {"topic": "k" * 250})

    assert response.status_code == 400
    assert "Searches are limited to 200 characters (yours has 250)." in response.content.decode()


def test_empty_topic_explains_and_suggests_skills(viewer_client, author):
    skill_give(author, "Rust")

    page = _experts(viewer_client, "")

    assert "Name a topic" in page
    assert 'href="/search/experts/?topic=Rust"' in page


@pytest.mark.parametrize("size", [2, 40])
def test_expert_finder_query_count_does_not_grow_with_data(
    viewer_client, django_assert_max_num_queries, size
):
    for n in range(size):
        person = ProfileFactory(display_name=f"Person {n}", location=LocationFactory(name=f"Office {n % 6}"))
        skill_give(person, "Kubernetes", level=1 + n % 4, endorsements=n)
        skill_give(person, f"Kubernetes tool {n}")
        PostFactory(author=person, body=f"Kubernetes note {n}")

    with django_assert_max_num_queries(EXPERTS_MAX_QUERIES):
        response = viewer_client.get("/search/experts/", {"topic": "kubernetes"})

    assert response.status_code == 200
    # Nobody works in the viewer's Lisbon office: every one of them is listed elsewhere.
    assert len(_ranked(response.content.decode())) == min(size, ELSEWHERE_LIMIT)


def test_expert_finder_query_count_holds_when_the_test_runs_past_midnight(
    viewer_client, django_assert_max_num_queries, monkeypatch
):
    # The clock passes 00:00 between the warm-up request and the measured one (it did in a full run):
    # recording the new day's activity is not the page's cost, and viewer_client pins the day.
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)

    with django_assert_max_num_queries(EXPERTS_MAX_QUERIES):
        response = viewer_client.get("/search/experts/", {"topic": "kubernetes"})

    assert response.status_code == 200
