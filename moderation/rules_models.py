"""Automatic moderation: the rate limits people may act at, and the settings moderators tune.

Kept apart from moderation/models.py (flags, cases, audit) so the two halves of moderation change
independently; moderation/models.py imports these so Django registers them with the app.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from profiles.models import Profile


class LimitedAction(models.TextChoices):
    POSTS = "posts", "Posts"
    COMMENTS = "comments", "Comments"
    REACTIONS = "reactions", "Reactions"
    FLAGS = "flags", "Flags"
    KUDOS = "kudos", "Kudos"


class RateLimit(models.Model):
    """How often one person may do one thing; absent rows use moderation.ratelimit.DEFAULT_LIMITS."""

    action = models.CharField(max_length=20, choices=LimitedAction.choices, unique=True)
    per_minute = models.PositiveIntegerField()
    per_day = models.PositiveIntegerField()
    # In a person's first days (RuleSettings.new_member_days) the tighter pair applies.
    new_per_minute = models.PositiveIntegerField()
    new_per_day = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.action}: {self.per_minute}/min, {self.per_day}/day"


class RuleSettings(models.Model):
    """One row (pk 1): the automatic-moderation settings that are not rules of their own."""

    new_member_days = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(365)],
        help_text="For this many days after joining, the tighter rate limits apply.",
    )
    first_posts_held = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="A new member's first N posts wait for a moderator's approval (0: none are held).",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "rule settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="rule_settings_single_row")]

    def __str__(self) -> str:
        return "Automatic moderation settings"
