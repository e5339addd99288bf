"""Flags, the cases moderators decide, and the audit trail of every moderation action."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from profiles.models import Profile


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    HARASSMENT = "harassment", "Harassment or bullying"
    HATE = "hate", "Hateful or discriminatory"
    CONFIDENTIAL = "confidential", "Shares confidential information"
    MISINFORMATION = "misinformation", "False or misleading"
    OTHER = "other", "Something else"


class Case(models.Model):
    """One piece of flagged content awaiting (or past) a moderator's decision."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept"
        REMOVED = "removed", "Removed"
        WITHDRAWN = "withdrawn", "Deleted by its author"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    content_author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="moderation_cases")
    # What the content said when first flagged, so the decision can be reviewed even after an edit.
    excerpt = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    flag_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="moderation_decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="case_one_per_content"),
        ]
        indexes = [models.Index(fields=["status", "opened_at", "id"], name="case_queue_idx")]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} ({self.status})"


class Flag(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="flags_raised")
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "flagger"], name="flag_once_per_person")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} by {self.flagger}"


class AuditEntry(models.Model):
    """Who did what to which object, written in the same transaction as the change itself."""

    actor = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["-created_at"], name="audit_recent_idx"),
            models.Index(fields=["content_type", "object_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


# Automatic moderation's models (rules, limits) live in their own module; imported so Django sees them.
from moderation.rules_models import LimitedAction, RateLimit, RuleHit, RuleSettings, WatchedRule  # noqa: E402, F401
