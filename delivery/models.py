"""What the delivery path records: each bulk send (a run) and each message of it, per person."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from profiles.models import Profile


class DeliveryRun(models.Model):
    """One kind of email for one period: the digest of 2025-03-10, the weekly report of a week.

    A rerun of the job reuses its run, so the figures admins see are the period's, not one attempt's."""

    kind = models.CharField(max_length=40)
    period = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "period"], name="delivery_run_once")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"


class DeliveryMessage(models.Model):
    """One person's message of a run and where it stands.

    queued: owed, handed to a task until `lease_until` (then the sweeper queues it again);
    claimed: a worker is sending it; if the worker dies, it is taken back once `lease_until` passes;
    sent / skipped / failed: final, with the reason in `last_error` for the last two."""

    class State(models.TextChoices):
        QUEUED = "queued"
        CLAIMED = "claimed"
        SENT = "sent"
        SKIPPED = "skipped"
        FAILED = "failed"

    OPEN_STATES = (State.QUEUED, State.CLAIMED)

    run = models.ForeignKey(DeliveryRun, on_delete=models.CASCADE, related_name="messages")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    # What the message is about, for a kind that sends one per event rather than one per person and
    # period (a notification's id); 0 for the digest and the weekly report.
    ref = models.PositiveBigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Which batch holds the claim (a token per delivery_send call): a worker that stalled past its
    # lease cannot mark or renew a message another worker has claimed since.
    claim = models.CharField(max_length=32, blank=True)
    # After a transient failure: not claimed again before this (backoff).
    not_before = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "profile", "ref"], name="delivery_once_per_person")
        ]
        indexes = [
            # The sweeper's look-up: only the few rows still owed, whatever the history's size.
            models.Index(
                fields=["lease_until"], name="delivery_open_idx", condition=Q(state__in=["queued", "claimed"])
            ),
            models.Index(fields=["run", "state"], name="delivery_run_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.run} to {self.profile_id}: {self.state}"
