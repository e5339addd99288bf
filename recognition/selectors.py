from collections.abc import Collection
from datetime import datetime

from profiles.models import Profile
from recognition.models import CompanyValue, Kudos


def active_values() -> list[CompanyValue]:
    return list(CompanyValue.objects.filter(is_active=True))


def kudos_received(*, profile: Profile, limit: int = 10) -> list[Kudos]:
    return list(
        Kudos.objects.filter(recipient=profile, post__removed_at__isnull=True)
        .select_related("giver", "value")
        .order_by("-created_at")[:limit]
    )


def kudos_received_count(*, profile: Profile) -> int:
    return Kudos.objects.filter(recipient=profile, post__removed_at__isnull=True).count()


def kudos_received_between(*, recipient_ids: Collection[int], start: datetime, end: datetime) -> list[Kudos]:
    """Kudos these people received in [start, end), for a batch at once (the digest): one query."""
    if not recipient_ids:
        return []
    return list(
        Kudos.objects.filter(
            recipient_id__in=recipient_ids,
            created_at__gte=start,
            created_at__lt=end,
            post__removed_at__isnull=True,
        )
        .select_related("giver", "value")
        .order_by("-created_at", "-id")
    )
