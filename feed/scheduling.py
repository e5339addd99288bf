"""Scheduled posts: written now, published later by a beat job with the scheduled time as their date.

Publishing claims each row with a conditional UPDATE (scheduled -> published) in the transaction that
creates the post: a second beat run, or a rerun after a crash, finds nothing left to claim, and a
crash half-way rolls the claim back with the post, so the next run publishes it. An edit or a
cancellation locks the same row, so it either lands before publishing or is refused after it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from communities.selectors import member_community_ids
from feed.acknowledgements import REMIND_AFTER_DAYS
from feed.models import Post, ScheduledPost
from feed.polls import poll_create, poll_options_clean
from feed.services import ANNOUNCEMENT_MAX_PIN_DAYS, announcement_create, post_body_clean, post_create
from moderation import rules
from moderation.services import audit_record
from profiles import roles
from profiles.models import Profile

SCHEDULABLE_KINDS = (Post.Kind.UPDATE, Post.Kind.QUESTION, Post.Kind.ANNOUNCEMENT, Post.Kind.POLL)
POLL_CLOSES_IN_DAYS = (1, 3, 7, 14, 30)
# Posts one person may have waiting at once: keeps their list one short page.
MAX_SCHEDULED_PER_AUTHOR = 50
EARLIEST = timedelta(minutes=2)
LATEST = timedelta(days=365)


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %b %Y, %H:%M} ({settings.TIME_ZONE})"


def scheduled_message(scheduled: ScheduledPost) -> str:
    return f"Scheduled for {_when(scheduled.publish_at)}. You can edit or cancel it until then."


def _publish_at_clean(publish_at: datetime | None) -> datetime:
    now = timezone.now()
    if publish_at is None:
        raise ValidationError({"publish_at": "Choose when to publish it."})
    if publish_at < now + EARLIEST:
        raise ValidationError(
            {"publish_at": f"{_when(publish_at)} is not in the future: choose a later time, or post it now."}
        )
    if publish_at > now + LATEST:
        raise ValidationError({"publish_at": "Schedule a post at most a year ahead."})
    return publish_at


def _options_clean(*, author: Profile, kind: str, community: Community | None, options: dict) -> dict:
    """What the kind needs, checked as its own service will check it at publishing."""
    if kind not in SCHEDULABLE_KINDS:
        raise ValidationError("Only updates, questions, polls and announcements can be scheduled.")
    if community is not None and community.pk not in member_community_ids(profile=author):
        raise PermissionDenied(f"Join {community.name} to post in it.")
    if kind == Post.Kind.ANNOUNCEMENT:
        if not roles.can_announce(author.user):
            raise PermissionDenied("Only the Communications and Leadership groups can make announcements.")
        if community is not None:
            raise ValidationError("An announcement goes to the whole company, not a group.")
        pinned_days = int(options.get("pinned_days") or 0)
        if not 0 <= pinned_days <= ANNOUNCEMENT_MAX_PIN_DAYS:
            raise ValidationError(f"Pin an announcement for 0 to {ANNOUNCEMENT_MAX_PIN_DAYS} days.")
        remind = int(options.get("remind_after_days") or 3)
        if remind not in REMIND_AFTER_DAYS:
            raise ValidationError(f"Remind after one of {', '.join(map(str, REMIND_AFTER_DAYS))} days.")
        return {
            "pinned_days": pinned_days,
            "must_read": bool(options.get("must_read")),
            "compliance": bool(options.get("compliance")),
            "remind_after_days": remind,
        }
    if kind == Post.Kind.POLL:
        closes = int(options.get("closes_in_days") or 7)
        if closes not in POLL_CLOSES_IN_DAYS:
            raise ValidationError("A poll closes after 1, 3, 7, 14 or 30 days.")
        return {
            "choices": poll_options_clean(list(options.get("choices") or [])),
            "multiple": bool(options.get("multiple")),
            "closes_in_days": closes,
        }
    return {}


@transaction.atomic
def scheduled_post_create(
    *,
    author: Profile,
    body: str,
    publish_at: datetime | None,
    kind: str = Post.Kind.UPDATE,
    community: Community | None = None,
    options: dict | None = None,
) -> ScheduledPost:
    body = post_body_clean(body)
    # Refused now, while its author is here, rather than failing unseen at publishing time.
    rules.text_check(text=body, where="kudos" if kind == Post.Kind.KUDOS else "posts")
    publish_at = _publish_at_clean(publish_at)
    cleaned = _options_clean(author=author, kind=kind, community=community, options=options or {})
    waiting = ScheduledPost.objects.filter(author=author, status=ScheduledPost.Status.SCHEDULED).count()
    if waiting >= MAX_SCHEDULED_PER_AUTHOR:
        raise ValidationError(
            f"You already have {waiting} posts scheduled; publish or cancel some before adding more."
        )
    scheduled = ScheduledPost.objects.create(
        author=author, community=community, kind=kind, body=body, publish_at=publish_at, options=cleaned
    )
    audit_record(actor=author, action="post.schedule", target=scheduled, publish_at=publish_at.isoformat())
    return scheduled


def _own_waiting(*, scheduled_id: int, actor: Profile) -> ScheduledPost:
    scheduled = ScheduledPost.objects.select_for_update().filter(pk=scheduled_id).first()
    if scheduled is None:
        raise ValidationError("That scheduled post no longer exists.")
    if scheduled.author_id != actor.pk:
        raise PermissionDenied("You can only change your own scheduled posts.")
    if scheduled.status == ScheduledPost.Status.PUBLISHED:
        raise ValidationError("It has already been published: edit or delete the post itself.")
    if scheduled.status != ScheduledPost.Status.SCHEDULED:
        raise ValidationError(f"It is {scheduled.get_status_display().lower()}, so it can no longer change.")
    return scheduled


@transaction.atomic
def scheduled_post_update(
    *, scheduled_id: int, editor: Profile, body: str, publish_at: datetime | None, options: dict | None = None
) -> ScheduledPost:
    scheduled = _own_waiting(scheduled_id=scheduled_id, actor=editor)
    scheduled.body = post_body_clean(body)
    scheduled.publish_at = _publish_at_clean(publish_at)
    if options is not None:
        scheduled.options = _options_clean(
            author=editor, kind=scheduled.kind, community=scheduled.community, options=options
        )
    scheduled.save(update_fields=["body", "publish_at", "options"])
    audit_record(
        actor=editor,
        action="post.schedule_edit",
        target=scheduled,
        publish_at=scheduled.publish_at.isoformat(),
    )
    return scheduled


@transaction.atomic
def scheduled_post_cancel(*, scheduled_id: int, actor: Profile) -> ScheduledPost:
    scheduled = _own_waiting(scheduled_id=scheduled_id, actor=actor)
    scheduled.status = ScheduledPost.Status.CANCELLED
    scheduled.save(update_fields=["status"])
    audit_record(actor=actor, action="post.schedule_cancel", target=scheduled)
    return scheduled


def scheduled_posts_publish(*, now: datetime | None = None, limit: int = 500) -> int:
    """Publish what is due (the beat job, every minute). Returns how many this run published."""
    now = now or timezone.now()
    due = list(
        ScheduledPost.objects.filter(status=ScheduledPost.Status.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(_publish_one(scheduled_id=pk, now=now) for pk in due)


@transaction.atomic
def _publish_one(*, scheduled_id: int, now: datetime) -> bool:
    claimed = ScheduledPost.objects.filter(
        pk=scheduled_id, status=ScheduledPost.Status.SCHEDULED, publish_at__lte=now
    ).update(status=ScheduledPost.Status.PUBLISHED)
    if not claimed:
        return False  # another run published it, or its author cancelled it meanwhile
    scheduled = ScheduledPost.objects.select_related("author__user", "community").get(pk=scheduled_id)
    try:
        with transaction.atomic():
            post = _post_create(scheduled)
            # Its date is the scheduled time, not when it was written (nor the beat's few seconds late).
            Post.objects.filter(pk=post.pk).update(created_at=scheduled.publish_at)
    except (ValidationError, PermissionDenied) as exc:
        # Still refused at publishing (the author left the group, or no longer announces): kept, with why.
        reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
        ScheduledPost.objects.filter(pk=scheduled_id).update(
            status=ScheduledPost.Status.FAILED, failure=reason[:300]
        )
        audit_record(actor=None, action="post.schedule_failed", target=scheduled, reason=reason[:300])
        return False
    ScheduledPost.objects.filter(pk=scheduled_id).update(post=post)
    audit_record(actor=None, action="post.schedule_publish", target=post, scheduled=scheduled_id)
    return True


def _post_create(scheduled: ScheduledPost) -> Post:
    author, options = scheduled.author, scheduled.options
    _options_clean(author=author, kind=scheduled.kind, community=scheduled.community, options=options)
    if scheduled.kind == Post.Kind.ANNOUNCEMENT:
        return announcement_create(
            author=author,
            body=scheduled.body,
            pinned_days=options["pinned_days"],
            must_read=options["must_read"],
            compliance=options["compliance"],
            remind_after_days=options["remind_after_days"],
        )
    if scheduled.kind == Post.Kind.POLL:
        return poll_create(
            author=author,
            question=scheduled.body,
            options=options["choices"],
            multiple=options["multiple"],
            closes_at=timezone.now() + timedelta(days=options["closes_in_days"]),
            community=scheduled.community,
        )
    return post_create(author=author, body=scheduled.body, kind=scheduled.kind, community=scheduled.community)


def scheduled_posts_of(*, author: Profile, limit: int = MAX_SCHEDULED_PER_AUTHOR) -> list[ScheduledPost]:
    """The author's waiting posts, soonest first, then the latest published, cancelled or failed ones."""
    waiting = list(
        ScheduledPost.objects.filter(author=author, status=ScheduledPost.Status.SCHEDULED)
        .select_related("community")
        .order_by("publish_at", "id")[:limit]
    )
    done = list(
        ScheduledPost.objects.filter(author=author)
        .exclude(status=ScheduledPost.Status.SCHEDULED)
        .select_related("community")
        .order_by("-publish_at", "-id")[:20]
    )
    return waiting + done


def scheduled_post_of(*, author: Profile, scheduled_id: int) -> ScheduledPost | None:
    return ScheduledPost.objects.select_related("community").filter(pk=scheduled_id, author=author).first()
