"""Notifications: who is told of what, where (app, email, off), and reading them."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import services as communities
from delivery.models import DeliveryMessage
from delivery.services import delivery_plan, delivery_send
from feed import services as feed
from notifications.emails import notifications_email_send
from notifications.models import Kind, Notification
from notifications.services import preferences_set
from recognition.services import kudos_give
from tests.factories import CompanyValueFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def kinds_for(profile) -> list[str]:
    return list(Notification.objects.filter(recipient=profile).order_by("id").values_list("kind", flat=True))


def test_mentioned_colleague_is_told_with_a_link_to_the_post(author, colleague):
    post = feed.post_create(author=author, body="Thanks @colin and @ada for the review")

    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == Kind.MENTION
    assert notification.summary.startswith("Ada Author mentioned you:")
    assert notification.url == post.get_absolute_url()
    assert kinds_for(author) == []  # nobody is told of their own mention


def test_mention_links_to_the_person(author, colleague):
    post = feed.post_create(author=author, body="Ask @colin")
    page = signed_in(colleague).get(post.get_absolute_url()).content.decode()

    assert '<a href="/mention/colin/" rel="nofollow noopener noreferrer">@colin</a>' in page
    assert signed_in(author).get("/mention/colin/")["Location"] == colleague.get_absolute_url()


def test_mention_in_a_private_group_reaches_members_only(author, colleague, outsider):
    group = communities.community_create(
        creator=author, name="Deal room", category="work", visibility="private"
    )

    feed.post_create(author=author, body="@olga @colin please look", community=group)

    assert kinds_for(outsider) == []
    assert kinds_for(colleague) == []  # Colin is not a member either


def test_editing_a_post_tells_only_newly_mentioned_people(author, colleague, outsider):
    post = feed.post_create(author=author, body="cc @colin")
    feed.post_edit(post_id=post.pk, editor=author, body="cc @colin @olga")

    assert kinds_for(colleague) == [Kind.MENTION]
    assert kinds_for(outsider) == [Kind.MENTION]


def test_comments_and_replies_tell_the_post_author_and_the_comment_author(author, colleague, outsider):
    post = feed.post_create(author=author, body="Release notes are out")
    question = feed.comment_create(post_id=post.pk, author=colleague, body="Does this include the API?")
    feed.comment_create(post_id=post.pk, author=outsider, body="Yes it does", parent_id=question.pk)

    assert kinds_for(author) == [Kind.REPLY, Kind.REPLY]
    assert kinds_for(colleague) == [Kind.REPLY]
    assert "replied to your comment" in Notification.objects.get(recipient=colleague).summary


def test_a_new_reaction_is_announced_once(author, colleague):
    post = feed.post_create(author=author, body="Shipped")
    feed.reaction_toggle(post_id=post.pk, profile=colleague, kind="like")
    feed.reaction_toggle(post_id=post.pk, profile=colleague, kind="like")  # takes it back

    assert kinds_for(author) == [Kind.REACTION]


def test_kudos_is_emailed_by_default_once_after_commit(author, colleague, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kudos_give(
            giver=author,
            recipients=[colleague],
            values=[CompanyValueFactory(name="Own it")],
            message="Great fix",
        )

    assert kinds_for(colleague) == [Kind.KUDOS]
    assert [m.to for m in mail.outbox] == [["colin@example.com"]]
    assert "Ada Author gave you kudos for Own it" in mail.outbox[0].subject
    # (The giver's "first thanks" badge is told in the app only.)
    assert notifications_email_send(notification_ids=[Notification.objects.get(recipient=colleague).pk]) == 0
    assert len(mail.outbox) == 1


def test_preferences_turn_a_kind_off_or_onto_email(author, colleague, django_capture_on_commit_callbacks):
    preferences_set(profile=author, choices={Kind.REACTION: "off", Kind.REPLY: "email"})
    post = feed.post_create(author=author, body="Shipped")

    with django_capture_on_commit_callbacks(execute=True):
        feed.reaction_toggle(post_id=post.pk, profile=colleague, kind="like")
        feed.comment_create(post_id=post.pk, author=colleague, body="Congrats")

    assert kinds_for(author) == [Kind.REPLY]
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


def test_preferences_page_saves_choices(author):
    client = signed_in(author)
    data = {kind: "in_app" for kind in Kind.values} | {Kind.REACTION: "off"}

    client.post("/notifications/settings/", data)

    assert 'value="off" ' in client.get("/notifications/settings/").content.decode()
    feed.reaction_toggle(
        post_id=feed.post_create(author=author, body="x").pk, profile=ProfileFactory(), kind="like"
    )
    assert kinds_for(author) == []


def test_group_admins_hear_of_requests_and_the_requester_of_the_answer(author, outsider):
    group = communities.community_create(
        creator=author, name="Deal room", category="work", visibility="private"
    )
    request = communities.join_request_create(community=group, profile=outsider)
    communities.join_request_decide(request_id=request.pk, admin=author, approve=True)

    assert kinds_for(author) == [Kind.GROUP]
    assert "was approved" in Notification.objects.get(recipient=outsider).summary


def test_opening_a_notification_marks_it_read_and_goes_there(author, colleague):
    post = feed.post_create(author=author, body="Hi @colin")
    client = signed_in(colleague)
    assert ">1<" in client.get("/notifications/badge/").content.decode()
    notification = Notification.objects.get()

    response = client.post(f"/notifications/{notification.pk}/open/")

    assert response["Location"] == post.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "badge" not in client.get("/notifications/badge/").content.decode()


def test_nobody_opens_someone_elses_notification(author, colleague, outsider):
    feed.post_create(author=author, body="Hi @colin")

    assert (
        signed_in(outsider).post(f"/notifications/{Notification.objects.get().pk}/open/").status_code == 404
    )


def test_mark_all_read_and_a_fixed_number_of_queries(author, colleague, django_assert_max_num_queries):
    client = signed_in(colleague)
    for i in range(3):
        feed.post_create(author=author, body=f"@colin {i}")
    client.get("/notifications/")
    with django_assert_max_num_queries(8) as small:
        client.get("/notifications/")
    for i in range(30):
        feed.post_create(author=ProfileFactory(), body=f"@colin more {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/notifications/").content.decode()
    assert page.count("(unread)") == 30  # the first page of 30

    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def _mention_everyone(author, people) -> list[int]:
    """A mention of each person (emailed by default), as the outbox hands it to the task after commit."""
    feed.post_create(author=author, body=" ".join(f"@{p.user.email.split('@')[0]}" for p in people))
    return list(Notification.objects.filter(kind=Kind.MENTION).values_list("pk", flat=True))


def test_notification_emails_go_through_the_delivery_path_once_each(author, colleague, outsider, settings):
    ids = _mention_everyone(author, [colleague, outsider])
    assert mail.outbox == []  # not emailed before the transaction's task runs

    assert notifications_email_send(notification_ids=ids) == 2
    assert notifications_email_send(notification_ids=ids) == 0  # a rerun, a redelivered task

    assert sorted(m.to[0] for m in mail.outbox) == ["colin@example.com", "olga@example.com"]
    sent = DeliveryMessage.objects.filter(run__kind="notification", state="sent")
    assert sorted(sent.values_list("ref", flat=True)) == sorted(ids)
    assert {m.run.period for m in sent} == {timezone.localdate().isoformat()}  # one run a day
    assert f"Open it: {settings.HIVE_BASE_URL}/posts/" in mail.outbox[0].body


def test_someone_deactivated_before_the_email_goes_is_skipped_with_the_reason(author, colleague, outsider):
    ids = _mention_everyone(author, [colleague, outsider])
    outsider.user.is_active = False
    outsider.user.save()

    notifications_email_send(notification_ids=ids)

    assert [m.to for m in mail.outbox] == [["colin@example.com"]]
    skipped = DeliveryMessage.objects.get(profile=outsider)
    assert skipped.state == "skipped" and "deactivated" in skipped.last_error


def test_a_batch_of_notification_emails_costs_the_same_queries_whatever_its_size(author):
    def batch_queries(count: int) -> int:
        people = [ProfileFactory() for _ in range(count)]
        notes = Notification.objects.bulk_create(
            Notification(recipient=p, kind=Kind.MENTION, summary="You were mentioned", url="/")
            for p in people
        )
        run = delivery_plan(
            kind="notification", period="2026-01-01", messages=[(n.recipient_id, n.pk) for n in notes]
        )
        ids = list(DeliveryMessage.objects.filter(run=run, state="queued").values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            counts = delivery_send(message_ids=ids)
        assert counts["sent"] == count
        return len(queries.captured_queries) - count  # one "sent" mark per message

    assert batch_queries(12) == batch_queries(2)
