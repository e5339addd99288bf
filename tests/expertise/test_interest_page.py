"""An interest's page (/skills/interests/<slug>/): who shares it, linked from profiles and the index."""

import re

import pytest

from expertise.models import Interest, ProfileInterest
from expertise.services import MAX_INTERESTS
from tests.factories import DepartmentFactory, ProfileFactory
from tests.helpers import lists

pytestmark = pytest.mark.django_db

# Session, user, viewer profile, roles, the interest (with whether the viewer lists it), one page of people.
INTEREST_PAGE_MAX_QUERIES = 6


def _names_on(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong><br><span class=\"muted\">", response.content.decode())


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_interest_page_lists_the_people_who_share_it_and_hides_those_who_left(author_client, author):
    ann, bea = ProfileFactory(display_name="Ann Runner"), ProfileFactory(display_name="Bea Runner")
    gone = ProfileFactory(display_name="Gus Gone", user__is_active=False)
    for person in (ann, bea, gone):
        lists(person, interests=("Running",))
    lists(ProfileFactory(display_name="Cy Chess"), interests=("Chess",))

    response = author_client.get("/skills/interests/running/")

    assert response.status_code == 200
    assert _names_on(response) == ["Bea Runner", "Ann Runner"]  # newest colleagues first
    assert "People interested in Running" in response.content.decode()


def test_unknown_interest_is_404(author_client):
    assert author_client.get("/skills/interests/underwater-basket-weaving/").status_code == 404


def test_interest_page_pages_through_everyone_once(author_client):
    people = [ProfileFactory(display_name=f"Runner {n:02d}") for n in range(35)]
    for person in people:
        lists(person, interests=("Running",))

    first = author_client.get("/skills/interests/running/")
    link = re.search(r'href="(\?cursor=[^"]+)"', first.content.decode()).group(1)
    second = author_client.get("/skills/interests/running/" + link)

    assert len(_names_on(first)) == 30
    assert _names_on(first) + _names_on(second) == [p.display_name for p in reversed(people)]
    assert 'href="?cursor=' not in second.content.decode()
    assert author_client.get("/skills/interests/running/?cursor=garbage").status_code == 400


@pytest.mark.parametrize("people", [2, 45])
def test_interest_page_query_count_does_not_grow_with_people(
    author_client, author, django_assert_max_num_queries, people
):
    for n in range(people):
        lists(ProfileFactory(department=DepartmentFactory(name=f"Team {n % 5}")), interests=("Running",))
    author_client.get("/skills/")  # the day's first visit also records activity

    with django_assert_max_num_queries(INTEREST_PAGE_MAX_QUERIES):
        assert author_client.get("/skills/interests/running/").status_code == 200


def test_profile_interest_chips_link_to_the_interest_pages(author_client, colleague):
    lists(colleague, interests=("Running", "Board games"))

    page = author_client.get(colleague.get_absolute_url()).content.decode()

    assert 'href="/skills/interests/running/"' in page
    assert 'href="/skills/interests/board-games/"' in page


def test_skills_index_lists_popular_interests_with_links(author_client, author, colleague):
    lists(author, interests=("Running",))
    lists(colleague, interests=("Running", "Chess"))

    page = author_client.get("/skills/").content.decode()

    assert '<a href="/skills/interests/running/">Running (2)</a>' in page
    assert '<a href="/skills/interests/chess/">Chess (1)</a>' in page


def test_viewer_adds_the_interest_to_their_profile_from_its_page(author_client, author, colleague):
    lists(colleague, interests=("Running",))
    assert "Add Running to my interests" in author_client.get("/skills/interests/running/").content.decode()

    response = author_client.post("/skills/interests/running/add/", follow=True)

    assert "Running is now on your profile." in _messages(response)
    assert ProfileInterest.objects.filter(content_object=author, tag__name="Running").exists()
    page = response.content.decode()
    assert "It's on your profile too." in page and "Add Running to my interests" not in page
    assert "Ada Author" in _names_on(response)


def test_adding_an_interest_twice_keeps_one_row(author_client, author):
    lists(author, interests=("Running",))

    response = author_client.post("/skills/interests/running/add/", follow=True)

    assert "Running was already on your profile." in _messages(response)
    assert ProfileInterest.objects.filter(content_object=author).count() == 1


def test_adding_past_the_limit_says_why_and_adds_nothing(author_client, author, colleague):
    lists(author, interests=tuple(f"Hobby {n}" for n in range(MAX_INTERESTS)))
    lists(colleague, interests=("Running",))

    response = author_client.post("/skills/interests/running/add/", follow=True)

    assert f"You list {MAX_INTERESTS} interests already" in _messages(response)
    assert not ProfileInterest.objects.filter(content_object=author, tag__name="Running").exists()


def test_adding_needs_a_post(author_client, colleague):
    lists(colleague, interests=("Running",))
    assert author_client.get("/skills/interests/running/add/").status_code == 405


def test_an_interest_named_only_with_symbols_still_has_a_page(author_client, colleague):
    lists(colleague, interests=("🙂",))
    interest = Interest.objects.get(name="🙂")

    assert interest.slug == "interest"
    assert author_client.get(interest.get_absolute_url()).status_code == 200


def test_a_skill_named_interests_does_not_hide_interest_pages(author_client, author, colleague):
    author_client.post("/skills/mine/", {"skills": "Interests", "interests": "Running"})

    assert author_client.get("/skills/interests/").context["skill"].name == "Interests"
    assert author_client.get("/skills/interests/running/").context["interest"].name == "Running"
