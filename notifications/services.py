"""Telling people: in the app at once, by email after commit when they asked for it."""

from django.db import transaction
from django.utils import timezone

from common import live
from common.outbox import enqueue_on_commit
from notifications.models import DEFAULT_CHANNELS, Channel, Kind, Notification, Preference
from notifications.selectors import unread_stamp_key
from profiles.models import Profile


def channels_for(*, profile_ids: set[int], kind: str) -> dict[int, str]:
    """Each person's channel for `kind`: their choice, else the default. One query."""
    chosen = dict(
        Preference.objects.filter(profile_id__in=profile_ids, kind=kind).values_list("profile_id", "channel")
    )
    default = DEFAULT_CHANNELS.get(kind, Channel.IN_APP)
    return {pk: chosen.get(pk, default) for pk in profile_ids}


def notify(*, recipients: list[Profile], kind: str, actor: Profile | None, summary: str, url: str) -> int:
    """Call inside the transaction that made the event; nobody is told of their own action.

    Returns how many notifications were written.
    """
    return notify_each(messages=[(p, summary, url) for p in recipients], kind=kind, actor=actor)


def notify_each(*, messages: list[tuple[Profile, str, str]], kind: str, actor: Profile | None) -> int:
    """Like notify, with a summary and a link of its own for each recipient (the first one wins if someone
    is named twice): still one query for the preferences and one insert, whatever the number of people."""
    chosen: dict[int, tuple[Profile, str, str]] = {}
    for person, summary, url in messages:
        if actor is None or person.pk != actor.pk:
            chosen.setdefault(person.pk, (person, summary, url))
    if not chosen:
        return 0
    channels = channels_for(profile_ids=set(chosen), kind=kind)
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk, kind=kind, actor=actor, summary=chosen[pk][1][:300], url=chosen[pk][2]
            )
            for pk in sorted(chosen)
            if channels[pk] != Channel.OFF
        ]
    )
    live.stamps_renew([unread_stamp_key(user_id=chosen[n.recipient_id][0].user_id) for n in rows])
    emailed = [n.pk for n in rows if channels[n.recipient_id] == Channel.EMAIL]
    if emailed:
        from notifications.tasks import notifications_email

        enqueue_on_commit(notifications_email, emailed)
    return len(rows)


def notifications_mark_read(*, recipient: Profile, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the recipient's notifications read; returns how many changed."""
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    changed = qs.update(read_at=timezone.now())
    if changed:
        live.stamps_renew([unread_stamp_key(user_id=recipient.user_id)])
    return changed


@transaction.atomic
def preferences_set(*, profile: Profile, choices: dict[str, str]) -> None:
    for kind, channel in choices.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ValueError(f"Unknown notification setting {kind}={channel}.")
        Preference.objects.update_or_create(profile=profile, kind=kind, defaults={"channel": channel})
