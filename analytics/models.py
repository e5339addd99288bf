"""Adoption figures: who was active on which day, and the nightly per-day, per-department rollup."""

from django.db import models
from django.utils import timezone

from profiles.models import Department, Profile


class ActiveDay(models.Model):
    """A person used Hive on this day (any signed-in page view). One row per person per day."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="active_days")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "profile"], name="active_day_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} on {self.day}"


class DailyRollup(models.Model):
    """One day's adoption figures for one department, or for the whole company (department empty)."""

    day = models.DateField()
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    active_users = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department"], name="rollup_once_per_day_department", nulls_distinct=False
            )
        ]
        indexes = [models.Index(fields=["-day"], name="rollup_recent_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.department or 'company'}"
