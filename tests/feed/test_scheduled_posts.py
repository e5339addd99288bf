"""Scheduled posts: written now, published once at their time with that time as their date, editable
and cancellable until then, and never published twice however many beat runs meet."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from communities import services as communities
from feed import scheduling
from feed.models import MustRead, Post, ScheduledPost
from profiles import roles
from tests.factories import ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = pytest.mark.usefixtures("celery_eager")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_a_post_scheduled_from_the_feed_appears_at_its_time_with_that_date(author, colleague):
    at = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    client = signed_in(author)
    response = client.post(
        "/all/", {"body": "Release notes for 4.2", "kind": "update", "publish_at": _local(at)}
    )
    assert response.status_code == 302 and response.url == "/posts/scheduled/"
    assert "Release notes for 4.2" in client.get("/posts/scheduled/").content.decode()
    assert not Post.objects.exists()
    assert "Release notes" not in signed_in(colleague).get("/all/").content.decode()

    assert scheduling.scheduled_posts_publish(now=at - timedelta(minutes=1)) == 0  # not yet
    assert scheduling.scheduled_posts_publish(now=at + timedelta(seconds=40)) == 1

    post = Post.objects.get()
    assert post.created_at == at  # the scheduled time, not the time it was written or published
    assert ScheduledPost.objects.get().post == post
    assert "Release notes for 4.2" in signed_in(colleague).get("/all/").content.decode()
    assert scheduling.scheduled_posts_publish(now=at + timedelta(minutes=2)) == 0  # the next beat: nothing


@pytest.mark.django_db
def test_scheduling_in_the_past_is_refused_and_saves_nothing(author):
    past = timezone.now() - timedelta(hours=1)
    response = signed_in(author).post(
        "/all/", {"body": "Too late", "kind": "update", "publish_at": _local(past)}
    )
    assert response.status_code == 400
    assert "is not in the future" in response.content.decode()
    assert not ScheduledPost.objects.exists() and not Post.objects.exists()


@pytest.mark.django_db
def test_edit_and_cancel_until_published_and_not_after(author):
    at = timezone.now() + timedelta(hours=2)
    first = scheduling.scheduled_post_create(author=author, body="Draft one", publish_at=at)
    second = scheduling.scheduled_post_create(author=author, body="Draft two", publish_at=at)
    later = (at + timedelta(hours=1)).replace(second=0, microsecond=0)
    client = signed_in(author)

    response = client.post(
        f"/posts/scheduled/{first.pk}/", {"body": "Final text", "publish_at": _local(later)}
    )
    assert response.status_code == 302
    client.post(f"/posts/scheduled/{second.pk}/cancel/")

    assert scheduling.scheduled_posts_publish(now=at + timedelta(minutes=1)) == 0  # moved later, cancelled
    assert scheduling.scheduled_posts_publish(now=later + timedelta(minutes=1)) == 1
    assert list(Post.objects.values_list("body", flat=True)) == ["Final text"]
    with pytest.raises(ValidationError, match="already been published"):
        scheduling.scheduled_post_update(
            scheduled_id=first.pk, editor=author, body="Too late", publish_at=later + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="cancelled"):
        scheduling.scheduled_post_cancel(scheduled_id=second.pk, actor=author)
    assert Post.objects.get().body == "Final text"


@pytest.mark.django_db
def test_nobody_else_sees_edits_or_cancels_a_scheduled_post(author, colleague):
    scheduled = scheduling.scheduled_post_create(
        author=author, body="Secret launch", publish_at=timezone.now() + timedelta(hours=1)
    )
    client = signed_in(colleague)
    assert client.get(f"/posts/scheduled/{scheduled.pk}/").status_code == 404
    assert "Secret launch" not in client.get("/posts/scheduled/").content.decode()
    with pytest.raises(PermissionDenied):
        scheduling.scheduled_post_cancel(scheduled_id=scheduled.pk, actor=colleague)
    client.post(f"/posts/scheduled/{scheduled.pk}/cancel/")
    assert ScheduledPost.objects.get().status == ScheduledPost.Status.SCHEDULED


@pytest.mark.django_db
def test_announcements_polls_and_group_posts_publish_as_their_kind(author):
    leader = in_group(ProfileFactory(), roles.LEADERSHIP)
    group = communities.community_create(
        creator=author, name="Runners", category="social", visibility="public"
    )
    at = timezone.now() + timedelta(hours=1)
    scheduling.scheduled_post_create(
        author=leader,
        body="Policy update",
        kind=Post.Kind.ANNOUNCEMENT,
        publish_at=at,
        options={"pinned_days": 7, "must_read": True, "compliance": True, "remind_after_days": 5},
    )
    scheduling.scheduled_post_create(
        author=author,
        body="Which day for the team run?",
        kind=Post.Kind.POLL,
        publish_at=at,
        community=group,
        options={"choices": ["Tuesday", "Thursday"], "closes_in_days": 3},
    )
    scheduling.scheduled_post_create(author=author, body="Run at 6", publish_at=at, community=group)

    assert scheduling.scheduled_posts_publish(now=at + timedelta(minutes=1)) == 3

    announcement = Post.objects.get(kind=Post.Kind.ANNOUNCEMENT)
    must_read = MustRead.objects.get(post=announcement)
    assert must_read.compliance and must_read.remind_after_days == 5 and announcement.pinned_until
    poll = Post.objects.get(kind=Post.Kind.POLL)
    assert poll.community == group and [o.label for o in poll.poll.options.all()] == ["Tuesday", "Thursday"]
    assert Post.objects.get(body="Run at 6").community == group


@pytest.mark.django_db
def test_what_is_no_longer_allowed_at_its_time_fails_with_the_reason(author):
    group = communities.community_create(
        creator=ProfileFactory(), name="Runners", category="social", visibility="public"
    )
    communities.community_join(community=group, profile=author)
    at = timezone.now() + timedelta(hours=1)
    scheduled = scheduling.scheduled_post_create(
        author=author, body="Run at 6", publish_at=at, community=group
    )
    communities.community_leave(community=group, profile=author)

    assert scheduling.scheduled_posts_publish(now=at + timedelta(minutes=1)) == 0

    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPost.Status.FAILED and "Join Runners" in scheduled.failure
    assert not Post.objects.exists()
    assert "Join Runners" in signed_in(author).get("/posts/scheduled/").content.decode()


@pytest.mark.django_db
def test_only_announcers_schedule_announcements(author):
    with pytest.raises(PermissionDenied):
        scheduling.scheduled_post_create(
            author=author,
            body="Hello all",
            kind=Post.Kind.ANNOUNCEMENT,
            publish_at=timezone.now() + timedelta(hours=1),
        )
    assert not ScheduledPost.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_at_once_publish_each_post_once():
    author = ProfileFactory()
    at = timezone.now() + timedelta(hours=1)
    for n in range(12):
        scheduling.scheduled_post_create(author=author, body=f"Post {n}", publish_at=at)
    start = threading.Barrier(3)
    published: list[int] = []
    errors: list[BaseException] = []

    def beat():
        try:
            start.wait()
            published.append(scheduling.scheduled_posts_publish(now=at + timedelta(minutes=1)))
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sum(published) == 12
    assert sorted(Post.objects.values_list("body", flat=True)) == sorted(f"Post {n}" for n in range(12))
