"""Moderation through the browser: flagging from the post page, the review queue, and decisions."""

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from feed.models import Comment
from moderation.models import AuditEntry, Case, Flag, FlagReason
from moderation.services import flag_create
from tests.factories import CommentFactory, PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db

# Fixed, whatever the queue holds: session, user, viewer profile, roles, the cases, their flags, the
# rules they hit, one per kind of flagged content (posts, comments), recent decisions, counts by status
# (and group), the clauses of the guideline filter.
QUEUE_MAX_QUERIES = 12


def _flagged(post, flagger=None, reason=FlagReason.SPAM) -> Case:
    return flag_create(flagger=flagger or ProfileFactory(), content=post, reason=reason).case


# --- Flagging ------------------------------------------------------------------------------


def test_post_page_offers_the_flag_form_to_colleagues_but_not_the_author(
    author_client, colleague_client, post, flag_url
):
    assert f'action="{flag_url}"' in colleague_client.get(f"/posts/{post.pk}/").content.decode()
    assert f'action="{flag_url}"' not in author_client.get(f"/posts/{post.pk}/").content.decode()


def test_colleague_flags_a_post_and_it_lands_in_the_queue(colleague_client, moderator_client, post, flag_url):
    response = colleague_client.post(
        flag_url, {"reason": "spam", "note": "An ad", "next": f"/posts/{post.pk}/"}, follow=True
    )

    assert response.redirect_chain == [(f"/posts/{post.pk}/", 302)]
    assert "Thanks: a moderator will review it." in response.content.decode()
    flag = Flag.objects.select_related("case").get()
    assert (flag.reason, flag.note) == ("spam", "An ad")
    queue = moderator_client.get("/moderation/").content.decode()
    assert f'id="case-{flag.case.pk}"' in queue
    assert "Buy cheap watches at example.biz" in queue
    assert "Spam or advertising — Colin Colleague: “An ad”" in queue
    assert "(1 waiting)" in queue


def test_flagging_the_same_post_twice_shows_a_message_and_keeps_one_flag(colleague_client, post, flag_url):
    colleague_client.post(flag_url, {"reason": "spam"})

    response = colleague_client.post(flag_url, {"reason": "other"}, follow=True)

    assert "You have already flagged this post; a moderator will review it." in response.content.decode()
    assert Flag.objects.count() == 1
    assert Case.objects.get().flag_count == 1


def test_author_cannot_flag_their_own_post(author_client, post, flag_url):
    response = author_client.post(flag_url, {"reason": "spam"}, follow=True)

    assert "You can't flag your own post." in unescape(response.content.decode())
    assert not Flag.objects.exists()
    assert not Case.objects.exists()


def test_flag_without_a_reason_shows_a_message_and_saves_nothing(colleague_client, flag_url):
    response = colleague_client.post(flag_url, {"reason": ""}, follow=True)

    assert "Choose a reason for the flag." in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_a_removed_post_is_404(author, colleague_client, post, flag_url):
    post.removed_at = timezone.now()
    post.removed_by = author
    post.save()

    assert colleague_client.post(flag_url, {"reason": "spam"}).status_code == 404
    assert not Flag.objects.exists()


def test_content_that_is_not_moderatable_cannot_be_flagged(colleague_client, colleague):
    from profiles.models import Department

    department = Department.objects.create(name="Finance")
    department_type = ContentType.objects.get_for_model(Department)

    response = colleague_client.post(
        f"/moderation/flag/{department_type.pk}/{department.pk}/", {"reason": "spam"}
    )

    assert response.status_code == 404
    assert not Case.objects.exists()


def test_flag_never_sends_the_person_to_another_site(colleague_client, post, flag_url):
    response = colleague_client.post(flag_url, {"reason": "spam", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response.url == f"/posts/{post.pk}/"


# --- Who may see the queue and decide -------------------------------------------------------


def test_moderator_sees_review_queue_link_and_others_do_not(moderator_client, colleague_client):
    assert 'href="/moderation/"' in moderator_client.get("/").content.decode()
    assert 'href="/moderation/"' not in colleague_client.get("/").content.decode()


def test_someone_outside_the_moderators_group_gets_403_on_the_queue(colleague_client):
    assert colleague_client.get("/moderation/").status_code == 403


def test_superuser_opens_the_queue(superuser_client, post):
    case = _flagged(post)

    response = superuser_client.get("/moderation/")

    assert response.status_code == 200
    assert f'id="case-{case.pk}"' in response.content.decode()


def test_someone_outside_the_moderators_group_cannot_decide(outsider_client, colleague_client, post):
    case = _flagged(post)

    response = outsider_client.post(f"/moderation/cases/{case.pk}/decide/", {"decision": "remove"})

    assert response.status_code == 403
    case.refresh_from_db()
    post.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert post.removed_at is None
    assert colleague_client.get(f"/posts/{post.pk}/").status_code == 200


def test_outsider_gets_403_not_404_for_a_case_that_does_not_exist(outsider_client):
    assert outsider_client.post("/moderation/cases/999999/decide/", {"decision": "keep"}).status_code == 403


def test_moderator_gets_404_for_a_case_that_does_not_exist(moderator_client):
    assert moderator_client.post("/moderation/cases/999999/decide/", {"decision": "keep"}).status_code == 404


# --- Decisions -----------------------------------------------------------------------------


def test_moderator_removes_a_post_and_nobody_sees_it_any_more(
    moderator, moderator_client, colleague_client, post
):
    case = _flagged(post)

    response = moderator_client.post(
        f"/moderation/cases/{case.pk}/decide/", {"decision": "remove", "note": "Spam"}, follow=True
    )

    page = response.content.decode()
    assert f"Case {case.pk}: removed." in page
    assert f'id="case-{case.pk}"' not in page  # out of the queue, into recent decisions
    assert "(0 waiting)" in page
    assert "Buy cheap watches at example.biz" not in colleague_client.get("/").content.decode()
    assert colleague_client.get(f"/posts/{post.pk}/").status_code == 404
    post.refresh_from_db()
    case.refresh_from_db()
    assert post.removed_by == moderator
    assert post.removed_at is not None
    assert (case.decided_by, case.decided_at) == (moderator, post.removed_at)
    assert AuditEntry.objects.filter(action="case.remove", actor=moderator, object_id=case.pk).exists()


def test_moderator_keeps_a_post_and_it_stays_visible(moderator, moderator_client, colleague_client, post):
    case = _flagged(post)

    response = moderator_client.post(
        f"/moderation/cases/{case.pk}/decide/", {"decision": "keep"}, follow=True
    )

    assert f"Case {case.pk}: kept." in response.content.decode()
    assert colleague_client.get(f"/posts/{post.pk}/").status_code == 200
    case.refresh_from_db()
    assert case.status == Case.Status.KEPT
    assert case.decided_by == moderator
    assert not AuditEntry.objects.filter(action="case.remove").exists()


def test_deciding_an_already_decided_case_shows_a_message_and_changes_nothing(
    moderator_client, superuser_client, colleague_client, post
):
    case = _flagged(post)
    moderator_client.post(f"/moderation/cases/{case.pk}/decide/", {"decision": "keep"})
    case.refresh_from_db()
    decided = (case.status, case.decided_by_id, case.decided_at)

    response = superuser_client.post(
        f"/moderation/cases/{case.pk}/decide/", {"decision": "remove", "note": "Spam"}, follow=True
    )

    assert "This case was already decided (kept) by Mona Moderator." in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.decided_by_id, case.decided_at) == decided
    assert colleague_client.get(f"/posts/{post.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action__startswith="case.").count() == 1


def test_decision_without_keep_or_remove_shows_a_message(moderator_client, post):
    case = _flagged(post)

    response = moderator_client.post(f"/moderation/cases/{case.pk}/decide/", {"decision": "ban"}, follow=True)

    assert "Choose keep, warn, remove or suspend." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_queue_shows_oldest_cases_first(moderator_client):
    now = timezone.now()
    newer = _flagged(PostFactory(body="Newer problem"))
    older = _flagged(PostFactory(body="Older problem"))
    Case.objects.filter(pk=older.pk).update(opened_at=now - timedelta(days=2))
    Case.objects.filter(pk=newer.pk).update(opened_at=now - timedelta(days=1))

    page = moderator_client.get("/moderation/").content.decode()

    assert page.index("Older problem") < page.index("Newer problem")


def test_queue_links_a_flagged_comment_to_its_place_on_the_post_page(moderator_client, author, post):
    comment = CommentFactory(post=post, author=author, body="A rude remark")
    _flagged(comment, reason=FlagReason.OTHER)

    page = moderator_client.get("/moderation/").content.decode()

    assert "A rude remark" in page
    assert f'href="/posts/{post.pk}/?comment={comment.pk}#comment-{comment.pk}"' in page


def test_queue_with_a_garbage_cursor_is_a_bad_request(moderator_client):
    assert moderator_client.get("/moderation/", {"cursor": "garbage"}).status_code == 400


# --- Query counts --------------------------------------------------------------------------


def _busy_queue(*, size: int) -> None:
    """`size` open cases on posts and comments, each flagged twice, and as many decided ones."""
    decider = ProfileFactory()
    for i in range(size):
        post = PostFactory()
        content = CommentFactory(post=post) if i % 2 else post
        case = _flagged(content)
        flag_create(flagger=ProfileFactory(), content=content, reason=FlagReason.OTHER)
        closed = _flagged(PostFactory())
        Case.objects.filter(pk=closed.pk).update(
            status=Case.Status.KEPT, decided_by=decider, decided_at=timezone.now()
        )
        assert case.status == Case.Status.OPEN


@pytest.mark.parametrize("size", [5, 40])
def test_queue_query_count_does_not_grow_with_the_number_of_cases(
    moderator_client, django_assert_max_num_queries, size
):
    _busy_queue(size=size)
    moderator_client.get("/moderation/")  # first visit of the day records activity; measure a normal one

    with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
        page = moderator_client.get("/moderation/")

    assert page.content.decode().count('<article class="card" id="case-') == min(size, 25)
    assert Comment.objects.exists()
