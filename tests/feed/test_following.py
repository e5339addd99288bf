"""#tags, following people and tags, and the Home feed built from what you follow."""

import pytest
from django.core.exceptions import ValidationError
from taggit.models import Tag

from communities import services as communities
from feed import cards, services
from feed.models import Post
from tests.factories import PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def test_hashtags_in_a_post_become_its_tags_and_links(author, colleague_client):
    post = services.post_create(author=author, body="Kick-off for #Onboarding v2 and #été, not C# or a #")

    assert sorted(post.tags.names()) == ["onboarding", "été"]
    html = colleague_client.get("/all/").content.decode()
    assert '<a href="/tags/onboarding/" rel="nofollow noopener noreferrer">#Onboarding</a>' in html


def test_editing_a_post_updates_its_tags(author):
    post = services.post_create(author=author, body="Notes on #hiring")
    services.post_edit(post_id=post.pk, editor=author, body="Notes on #interviews")

    assert list(post.tags.names()) == ["interviews"]


def test_tag_page_lists_readable_posts_with_the_tag(author, colleague_client, outsider):
    services.post_create(author=author, body="Great #retro today")
    group = communities.community_create(creator=author, name="Secret", category="work", visibility="private")
    services.post_create(author=author, body="Private #retro notes", community=group)
    PostFactory(author=outsider, body="No tag here")

    html = colleague_client.get("/tags/retro/").content.decode()

    assert "Great" in html
    assert "Private" not in html and "No tag here" not in html


def test_unknown_tag_page_is_404(colleague_client):
    assert colleague_client.get("/tags/nothing-here/").status_code == 404


def test_home_shows_followed_people_groups_tags_and_own_posts_only(
    author, colleague, outsider, colleague_client
):
    stranger = ProfileFactory(display_name="Sven Stranger")
    services.post_create(author=author, body="From Ada, whom Colin follows")
    services.post_create(author=stranger, body="Stranger on #security")
    services.post_create(author=stranger, body="Stranger small talk")
    group = communities.community_create(
        creator=outsider, name="Book club", category="social", visibility="public"
    )
    communities.community_join(community=group, profile=colleague)
    services.post_create(author=outsider, body="Book club pick", community=group)
    services.post_create(author=colleague, body="Colin's own")
    services.follow_person_toggle(follower=colleague, followee=author)
    services.follow_tag_toggle(follower=colleague, tag=Tag.objects.get(name="security"))

    home = colleague_client.get("/").content.decode()
    everything = colleague_client.get("/all/").content.decode()

    for shown in ("From Ada", "Stranger on", "Book club pick", "Colin&#x27;s own"):
        assert shown in home or shown.replace("&#x27;", "'") in home
    assert "Stranger small talk" not in home
    assert "Stranger small talk" in everything


def test_home_is_all_company_with_a_hint_until_you_follow_someone(author, colleague_client):
    services.post_create(author=author, body="Hello everyone")

    html = colleague_client.get("/").content.decode()

    assert "Hello everyone" in html
    assert "You don't follow anyone or any #tag yet" in html


def test_follow_and_unfollow_from_the_profile_button(author, colleague, colleague_client):
    colleague_client.post(f"/follow/people/{author.pk}/")
    assert colleague.following_people.filter(followee=author).exists()

    colleague_client.post(f"/follow/people/{author.pk}/")
    assert not colleague.following_people.exists()


def test_you_cannot_follow_yourself(author, author_client):
    response = author_client.post(f"/follow/people/{author.pk}/", follow=True)

    assert "You can&#x27;t follow yourself." in response.content.decode()
    assert not author.following_people.exists()


def test_home_feed_queries_stay_fixed_however_much_you_follow(
    author, colleague, colleague_client, django_assert_max_num_queries
):
    def follow_more(n):
        for i in range(n):
            person = ProfileFactory()
            services.follow_person_toggle(follower=colleague, followee=person)
            services.post_create(author=person, body=f"Post {i} #topic{i}")
            services.follow_tag_toggle(follower=colleague, tag=Tag.objects.get(name=f"topic{i}"))

    follow_more(3)
    colleague_client.get("/")
    # Each time with no card rendered before (feed/cards.py), the page's dearest case: cards the memo
    # holds are read as rows only (2 queries fewer), so a page with more new posts would otherwise count more.
    cards.memo_clear()
    with django_assert_max_num_queries(13) as small:  # +1: a survey waiting for an answer (surveys/)
        colleague_client.get("/")
    follow_more(30)
    cards.memo_clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = colleague_client.get("/")
    assert response.content.decode().count("<article") == 20
    assert Post.objects.count() == 33


# --- Questions -------------------------------------------------------------------------------


def test_asker_marks_the_best_answer_and_its_author_is_told(author, colleague, author_client):
    from notifications.models import Notification

    author_client.post("/all/", {"body": "How do I book a meeting room in Berlin?", "kind": "question"})
    question = Post.objects.get(kind="question")
    answer = services.comment_create(post_id=question.pk, author=colleague, body="Use the Rooms app")

    author_client.post(f"/posts/{question.pk}/answer/", {"comment": answer.pk})

    question.refresh_from_db()
    assert question.best_answer == answer
    assert Notification.objects.filter(recipient=colleague, kind="answer").exists()
    assert "✔ Answered by Colin Colleague" in author_client.get("/all/").content.decode()


def test_only_the_asker_or_a_group_admin_chooses_the_answer(author, colleague, outsider, colleague_client):
    question = services.post_create(author=author, body="Where is the style guide?", kind="question")
    answer = services.comment_create(post_id=question.pk, author=outsider, body="In the wiki")

    colleague_client.post(f"/posts/{question.pk}/answer/", {"comment": answer.pk})
    question.refresh_from_db()
    assert question.best_answer is None

    group = communities.community_create(
        creator=colleague, name="Design", category="work", visibility="public"
    )
    communities.community_join(community=group, profile=author)
    in_group = services.post_create(author=author, body="Fonts?", kind="question", community=group)
    reply = services.comment_create(post_id=in_group.pk, author=outsider, body="Inter")
    services.answer_mark(post_id=in_group.pk, comment_id=reply.pk, actor=colleague)  # group admin
    in_group.refresh_from_db()
    assert in_group.best_answer == reply


def test_questions_page_lists_open_questions_with_expertise_matches_first(
    author, colleague, colleague_client
):
    from expertise.services import profile_skills_set

    profile_skills_set(profile=colleague, names=["Kubernetes"])
    services.post_create(author=author, body="Who can review my #kubernetes manifests?", kind="question")
    services.post_create(author=author, body="Best lunch spot near the office?", kind="question")
    answered = services.post_create(author=author, body="Answered already?", kind="question")
    answer = services.comment_create(post_id=answered.pk, author=colleague, body="Yes")
    services.answer_mark(post_id=answered.pk, comment_id=answer.pk, actor=author)
    services.post_create(author=author, body="Just an update")

    html = colleague_client.get("/questions/").content.decode()

    assert "Matching your expertise" in html
    assert html.index("manifests") < html.index("Other open questions") < html.index("lunch spot")
    assert html.count("manifests") == 1  # not listed a second time below
    assert "Answered already" not in html and "Just an update" not in html


# Session, user, viewer profile, roles, viewer's groups, questions matching the viewer's skills,
# the page's ids, all the cards in one query, viewer's reactions, pictures.
QUESTIONS_PAGE_MAX_QUERIES = 10


@pytest.mark.parametrize("size", [3, 30])
def test_questions_page_queries_stay_fixed_however_many_questions_match(
    author, colleague, colleague_client, django_assert_max_num_queries, size
):
    from expertise.services import profile_skills_set

    profile_skills_set(profile=colleague, names=["Kubernetes", "Terraform"])
    for n in range(size):
        services.post_create(author=author, body=f"Kubernetes question {n}? #kubernetes", kind="question")
        services.post_create(author=author, body=f"Lunch question {n}?", kind="question")
    colleague_client.get("/questions/")

    with django_assert_max_num_queries(QUESTIONS_PAGE_MAX_QUERIES):
        html = colleague_client.get("/questions/").content.decode()

    newest = size - 1
    assert html.count(f"Kubernetes question {newest}?") == 1  # at the top, not again below
    assert html.index(f"Kubernetes question {newest}?") < html.index(f"Lunch question {newest}?")


def test_a_non_question_has_no_best_answer(author):
    post = services.post_create(author=author, body="Update")
    comment = services.comment_create(post_id=post.pk, author=author, body="self")

    with pytest.raises(ValidationError, match="Only a question"):
        services.answer_mark(post_id=post.pk, comment_id=comment.pk, actor=author)


# --- Announcements -------------------------------------------------------------------------


def test_communications_pins_an_announcement_everyone_sees_first_and_reach_counts(
    comms, author, colleague, outsider
):
    from tests.helpers import signed_in

    services.post_create(author=author, body="Regular update")
    comms_client = signed_in(comms)
    comms_client.post(
        "/all/", {"body": "Offices close at 3pm Friday", "kind": "announcement", "pinned_days": 7}
    )
    services.post_create(author=author, body="Newer than the announcement")
    services.follow_person_toggle(follower=colleague, followee=author)  # Colin's Home is what he follows

    for person in (colleague, outsider):
        html = signed_in(person).get("/").content.decode()
        assert html.index("Offices close at 3pm Friday") < html.index("Newer than the announcement")
        assert "📣 Announcement" in html

    announcement = Post.objects.get(kind="announcement")
    page = comms_client.get(f"/posts/{announcement.pk}/").content.decode()
    assert "seen by 3 of 4 people (75%)" in page  # Colin, Olga, and Cora herself; Ada has not looked
    assert "Reach:" not in signed_in(colleague).get(f"/posts/{announcement.pk}/").content.decode()


def test_only_communications_and_leadership_announce(author, author_client):
    from django.core.exceptions import PermissionDenied

    response = author_client.post("/all/", {"body": "I announce!", "kind": "announcement"})

    assert response.status_code == 400
    assert not Post.objects.exists()
    with pytest.raises(PermissionDenied):
        services.announcement_create(author=author, body="Sneaky")


def test_leadership_can_announce_and_pinning_is_bounded(db):
    from profiles import roles
    from tests.factories import in_group

    ceo = in_group(ProfileFactory(display_name="Cleo CEO"), roles.LEADERSHIP)
    post = services.announcement_create(author=ceo, body="Results are in", pinned_days=3)
    assert post.pinned_until is not None

    with pytest.raises(ValidationError, match="0 to 30 days"):
        services.announcement_create(author=ceo, body="Forever", pinned_days=365)


def test_a_pinned_announcement_is_recorded_as_seen_once_not_on_every_load(
    comms, colleague, colleague_client, django_assert_max_num_queries
):
    from feed.models import AnnouncementView

    services.announcement_create(author=comms, body="Offices close early", pinned_days=3)
    colleague_client.get("/all/")  # first look: recorded
    with django_assert_max_num_queries(30) as first_again:
        colleague_client.get("/all/")
    with django_assert_max_num_queries(len(first_again.captured_queries)):
        colleague_client.get("/all/")

    assert AnnouncementView.objects.filter(profile=colleague).count() == 1
    inserts = [q for q in first_again.captured_queries if "feed_announcementview" in q["sql"]]
    assert inserts == []
