"""Email copies of notifications, sent through the one delivery path (delivery/): a message per
notification, recorded per person in a run per day, so a retry, a second worker or a crash of the
worker never sends one twice and never loses one (at most the message in flight at a crash goes twice)."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from common.email import email_build
from delivery.kinds import MailKind, Skip
from delivery.services import delivery_plan, delivery_queue
from notifications.models import Notification
from profiles.models import Profile

NOTIFICATION = "notification"


def notifications_email_send(*, notification_ids: list[int]) -> int:
    """Record that each of these notifications is owed its email and hand them to the send tasks;
    returns how many were queued. Safe to run again: what is already recorded is not owed twice."""
    owed: dict[date, list[tuple[int, int]]] = {}
    rows = Notification.objects.filter(
        pk__in=notification_ids,
        emailed_at__isnull=True,  # emailed before the delivery path sent them
    ).values_list("pk", "recipient_id", "created_at")
    for pk, recipient_id, created_at in rows:
        owed.setdefault(timezone.localdate(created_at), []).append((recipient_id, pk))
    queued = 0
    for day, messages in sorted(owed.items()):
        run = delivery_plan(kind=NOTIFICATION, period=day.isoformat(), messages=messages)
        queued += delivery_queue(run=run)
    return queued


def _prepare(period: str) -> None:
    return None


def _prepare_batch(period: str, shared: None, profiles: list[Profile], refs: list[int]) -> dict:
    """The batch's notifications: one query, whatever the batch's size."""
    return Notification.objects.in_bulk(refs)


def _build(*, profile: Profile, period: str, prepared: dict[int, Notification], ref: int = 0):
    notification = prepared.get(ref)
    if notification is None:
        raise Skip("the notification was deleted before its email went out")
    return email_build(
        name="notification",
        to=profile.user.email,
        context={"notification": notification, "url": settings.HIVE_BASE_URL + notification.url},
    )


NOTIFICATION_KIND = MailKind(name=NOTIFICATION, prepare=_prepare, build=_build, prepare_batch=_prepare_batch)
