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


class RuleKind(models.TextChoices):
    WORD = "word", "Watched word or phrase"
    REGEX = "regex", "Regular expression"
    DETECTOR = "detector", "Built-in detector"


class RuleAction(models.TextChoices):
    # Ordered from mildest to strictest: when several rules match, the strictest one decides.
    FLAG = "flag", "Flag: publish, and put in the review queue"
    HOLD = "hold", "Hold: publish only once a moderator approves"
    BLOCK = "block", "Block: refuse it, telling the author why"


class WatchedRule(models.Model):
    """A watched word, a regular expression or a built-in detector, and what happens on a match."""

    kind = models.CharField(max_length=10, choices=RuleKind.choices)
    # The word or phrase (* matches the rest of a word), the RE2 expression, or the detector's name.
    pattern = models.CharField(max_length=500)
    # For the national-ID detector: ISO country codes, comma-separated (empty: every country Hive knows).
    countries = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=10, choices=RuleAction.choices)
    # Shown to the author when the rule blocks or holds their text; a default sentence when empty.
    message = models.CharField(max_length=300, blank=True)
    on_posts = models.BooleanField(default=True)
    on_comments = models.BooleanField(default=True)
    on_kudos = models.BooleanField(default=True)
    on_profiles = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-id"], name="watchedrule_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pattern!r} → {self.action}"


class RuleHit(models.Model):
    """A rule matched a piece of content that went to the review queue (held or flagged)."""

    case = models.ForeignKey("moderation.Case", on_delete=models.CASCADE, related_name="rule_hits")
    rule = models.ForeignKey(WatchedRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=10, choices=RuleAction.choices)
    # What matched, as the rule read then (a later edit or delete of the rule leaves this as it was);
    # detector matches are masked, so the queue never shows a card number or a key.
    label = models.CharField(max_length=300)
    matched = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="rulehit_case_idx")]

    def __str__(self) -> str:
        return f"{self.label} on case {self.case_id}"
