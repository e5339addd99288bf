from collections.abc import Collection
from datetime import datetime

from common.pagination import Page, keyset_page
from notifications.models import DEFAULT_CHANNELS, Channel, Kind, Notification, Preference
from profiles.models import Profile


def unread_stamp_key(*, user_id: int) -> str:
    """The common.live stamp renewed whenever this person's unread notifications change."""
    return f"unread:{user_id}"


def unread_count(*, recipient: Profile) -> int:
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()


def notifications_page(*, recipient: Profile, cursor: str | None, size: int = 30) -> Page:
    qs = Notification.objects.filter(recipient=recipient).select_related("actor")
    return keyset_page(qs, keys=("created_at", "id"), cursor=cursor, size=size, descending=True)


def preferences_of(*, profile: Profile) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(profile=profile).values_list("kind", "channel"))
    return {kind: chosen.get(kind, DEFAULT_CHANNELS.get(kind, Channel.IN_APP)) for kind in Kind.values}


def notification_of(*, recipient: Profile, notification_id: int) -> Notification | None:
    """One of this person's notifications; someone else's is None, as if it did not exist."""
    return Notification.objects.filter(pk=notification_id, recipient=recipient).first()


def notifications_between(
    *, recipient_ids: Collection[int], kinds: Collection[str], start: datetime, end: datetime
) -> list[Notification]:
    """What these people were told of in [start, end), newest first, for a batch at once (the digest)."""
    if not recipient_ids:
        return []
    return list(
        Notification.objects.filter(
            recipient_id__in=recipient_ids, kind__in=kinds, created_at__gte=start, created_at__lt=end
        ).order_by("-created_at", "-id")
    )
