"""Changes to people's digest settings and to when they were last seen."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from digests.models import DigestSetting
from profiles.models import Profile

Frequency = DigestSetting.Frequency


def digest_seen(*, profile: Profile, at: datetime) -> None:
    """Remember the visit: one upsert, whether or not the person has a settings row yet."""
    DigestSetting.objects.bulk_create(
        [DigestSetting(profile=profile, last_seen_at=at)],
        update_conflicts=True,
        unique_fields=["profile"],
        update_fields=["last_seen_at"],
    )


@transaction.atomic
def digest_settings_set(
    *, profile: Profile, frequency: str, weekday: int, only_when_away: bool
) -> DigestSetting:
    if frequency not in Frequency.values:
        raise ValidationError(f"Choose how often to get the digest: {', '.join(Frequency.labels)}.")
    if weekday not in DigestSetting.Weekday.values:
        raise ValidationError("Choose a day of the week for the weekly digest.")
    setting, _ = DigestSetting.objects.select_for_update().get_or_create(profile=profile)
    setting.frequency = frequency
    setting.weekday = weekday
    setting.only_when_away = only_when_away
    setting.save(update_fields=["frequency", "weekday", "only_when_away", "updated_at"])
    return setting


def digest_unsubscribe(*, profile_id: int) -> Profile | None:
    """The digest's unsubscribe link (its signature is the permission): no more digests. None if the
    person no longer exists."""
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        return None
    DigestSetting.objects.bulk_create(
        [DigestSetting(profile=profile, frequency=Frequency.NEVER)],
        update_conflicts=True,
        unique_fields=["profile"],
        update_fields=["frequency"],
    )
    return profile
