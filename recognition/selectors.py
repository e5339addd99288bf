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
