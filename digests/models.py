"""Each person's digest settings and the last time they came to Hive (what "since your last visit" means)."""

from django.db import models

from profiles.models import Profile


class DigestSetting(models.Model):
    """One row per person who changed a setting or visited; nobody's row means the defaults (daily,
    only when away). Written at most once a day per person by the last-seen middleware."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every morning"
        WEEKLY = "weekly", "Once a week"
        NEVER = "never", "Never"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    profile = models.OneToOneField(
        Profile, primary_key=True, on_delete=models.CASCADE, related_name="digest_setting"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    # For a weekly digest: the morning it arrives.
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    # Zulip's rule: someone who came to Hive since the last digest has seen it for themselves.
    only_when_away = models.BooleanField(default=True)
    # The first request of the person's latest day in Hive (one write a day, not one per page).
    last_seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.frequency}"
