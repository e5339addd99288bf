"""The community guidelines, flags citing them, the cases moderators decide, and the audit trail."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile


class GuidelineVersion(models.Model):
    """One published version of the community guidelines: a preamble and numbered clauses.

    Versions are never edited: a change publishes the next number, so a flag or a decision keeps
    citing the words that were in force, and people accept a version they could read.
    """

    number = models.PositiveIntegerField(unique=True)
    preamble = models.TextField(blank=True)
    # What changed, in the editor's words: shown to people asked to accept it.
    change_note = models.CharField(max_length=300)
    published_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Guidelines v{self.number}"


class GuidelineClause(models.Model):
    version = models.ForeignKey(GuidelineVersion, on_delete=models.PROTECT, related_name="clauses")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True)  # Markdown

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="clause_number_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class GuidelineAcceptance(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="guideline_acceptances")
    version = models.ForeignKey(GuidelineVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "version"], name="guidelines_accepted_once")
        ]
        indexes = [models.Index(fields=["profile", "-version"], name="acceptance_latest_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} accepted v{self.version_id}"


class FlagReason(models.TextChoices):
    # A clause of the guidelines (Flag.clause says which), or one of the two that need none.
    CLAUSE = "clause", "Breaks a guideline"
    SPAM = "spam", "Spam or advertising"
    OTHER = "other", "Something else"


# Cases in the review queue: new ones, ones whose author appealed, ones a moderator handed to admins.
QUEUE_STATUSES = ("open", "appealed", "escalated")


class Case(models.Model):
    """One piece of flagged content awaiting (or past) a moderator's decision.

    `status` is where the content stands (kept, removed...) and whether the case waits in the queue;
    `decision` is what the moderator did (a warning keeps the content, a suspension removes it).
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept"
        REMOVED = "removed", "Removed"
        WITHDRAWN = "withdrawn", "Deleted by its author"
        APPEALED = "appealed", "Appealed by its author"
        ESCALATED = "escalated", "Escalated to admins"
        RESTORED = "restored", "Restored by an admin"
        EDITED = "edited", "Edited by a moderator"

    class Decision(models.TextChoices):
        KEEP = "keep", "Keep: nothing wrong"
        WARN = "warn", "Warn the author, keep the content"
        EDIT = "edit", "Edit it, telling the author why"
        REMOVE = "remove", "Remove"
        SUSPEND = "suspend", "Remove and suspend posting"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    content_author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="moderation_cases")
    # What the content said when first flagged, so the decision can be reviewed even after an edit.
    excerpt = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    flag_count = models.PositiveIntegerField(default=0)
    # The sum of its flags' weights (moderation.services.flag_weight).
    score = models.FloatField(default=0.0)
    # How many people can read the content (its group's members, or the company), when last flagged.
    reach = models.PositiveIntegerField(default=0)
    # What orders the queue, highest first (then oldest): the score, raised by reach
    # (moderation.services.case_priority).
    priority = models.FloatField(default=0.0)
    # The group the content was written in (none: company-wide), as the owning app said: no foreign key,
    # moderation knows no group model (moderation/protocol.py). The name is as it was when flagged.
    group_id = models.PositiveBigIntegerField(null=True, blank=True)
    group_name = models.CharField(max_length=100, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="moderation_decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    # The clause the decision cites; the note is the reason shown to the author.
    clause = models.ForeignKey(
        GuidelineClause, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    decision_note = models.TextField(blank=True, max_length=1000)
    # A moderator who claims a case has it to themselves for a while (services.CLAIM_MINUTES).
    claimed_by = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="moderation_claims"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The first claim, escalation or decision: "time to first action" in the published figures.
    first_action_at = models.DateTimeField(null=True, blank=True)
    # When its flags' weights reached settings.HIVE_FLAG_HIDE_WEIGHT and the content was hidden pending
    # this decision (moderation.holds): a keep or a warning shows it again.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # An edit decision: the text the moderator replaced (an overturned appeal puts it back).
    edited_from = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="case_one_per_content"),
        ]
        indexes = [
            models.Index(fields=["status", "opened_at", "id"], name="case_queue_idx"),
            # The review queue: waiting cases, highest priority first, then oldest.
            models.Index(
                F("priority").desc(),
                F("opened_at"),
                F("id"),
                name="case_waiting_priority_idx",
                condition=models.Q(status__in=QUEUE_STATUSES),
            ),
            # The queue filtered to one group.
            models.Index(
                F("group_id"),
                F("priority").desc(),
                F("opened_at"),
                F("id"),
                name="case_waiting_group_idx",
                condition=models.Q(status__in=QUEUE_STATUSES, group_id__isnull=False),
            ),
            models.Index(fields=["content_author", "-opened_at"], name="case_author_idx"),
            # The published figures: decisions in a period.
            models.Index(fields=["decided_at"], name="case_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("moderation:case", args=[self.pk])


class Flag(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Awaiting a decision"
        UPHELD = "upheld", "Upheld"
        REJECTED = "rejected", "Not upheld"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="flags_raised")
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    clause = models.ForeignKey(
        GuidelineClause, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    note = models.CharField(max_length=500, blank=True)
    # From the flagger's record when they flagged: upheld flags raise it, rejected ones lower it.
    weight = models.FloatField(default=1.0)
    # Set when the case is decided, so a flagger's record is one indexed count.
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "flagger"], name="flag_once_per_person"),
            models.CheckConstraint(
                condition=models.Q(reason="clause", clause__isnull=False)
                | (~models.Q(reason="clause") & models.Q(clause__isnull=True)),
                name="flag_clause_iff_reason_clause",
            ),
        ]
        indexes = [
            # The daily limit and the flagger's record.
            models.Index(fields=["flagger", "created_at"], name="flag_by_flagger_idx"),
            models.Index(fields=["flagger", "outcome"], name="flag_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reason_label} by {self.flagger}"

    @property
    def reason_label(self) -> str:
        """What the flagger said was wrong; needs `clause` loaded for clause flags."""
        if self.reason == FlagReason.CLAUSE and self.clause is not None:
            return f"Guideline {self.clause.number}: {self.clause.title}"
        return self.get_reason_display()


class Suspension(models.Model):
    """Posting and commenting suspended until `ends_at`, by a moderator's decision on a case."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="suspensions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspensions")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    # An appeal that overturns the decision lifts it early.
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["profile", "-ends_at"], name="suspension_profile_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} until {self.ends_at:%Y-%m-%d %H:%M}"


class Appeal(models.Model):
    """The author asks for a second look, once per case; a different moderator's decision is final."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        UPHELD = "upheld", "Decision upheld"
        OVERTURNED = "overturned", "Decision overturned"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="appeal")
    appellant = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    # Where the case stood when appealed, so upholding puts it back exactly.
    status_before = models.CharField(max_length=10, choices=Case.Status.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=1000)

    class Meta:
        indexes = [models.Index(fields=["decided_at"], name="appeal_decided_idx")]

    def __str__(self) -> str:
        return f"Appeal of case {self.case_id} ({self.outcome})"


class AuditEntry(models.Model):
    """Who did what to which object, written in the same transaction as the change itself.

    Append-only: a database trigger (migration 0006) refuses every UPDATE and DELETE, whatever
    interface asks, admin and shell included.
    """

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
