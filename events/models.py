"""Ask-me-anything events: the event, its questions (optionally anonymous to colleagues) and votes."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from feed.models import Post
from profiles.models import Profile

QUESTION_MAX_LENGTH = 1000


class Event(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    # Who answers: a leader and whoever they choose (a delegate, a co-host).
    hosts = models.ManyToManyField(Profile, related_name="hosted_events")
    # Empty: the whole company. A private group's event is seen by its members only.
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    anonymous_questions = models.BooleanField(
        default=True, help_text="Askers may hide their name from colleagues (moderators still see it)."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Kept in step by events.services, so lists never count rows per event.
    question_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["ends_at", "starts_at", "id"], name="event_upcoming_idx"),
            models.Index(fields=["-starts_at", "-id"], name="event_past_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now < self.ends_at and not self.is_cancelled


class Question(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    # Always stored: moderators see who asked, and the asker is told so. Pages show it only when
    # `anonymous` is off (events.selectors gives templates `shown_author`, never the author itself).
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    anonymous = models.BooleanField(default=False)
    body = models.TextField(max_length=QUESTION_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    vote_count = models.PositiveIntegerField(default=0)
    answer = models.TextField(blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            # The event page: open questions, most votes first.
            models.Index(
                fields=["event", "-vote_count", "-id"],
                name="question_open_idx",
                condition=models.Q(answered_at__isnull=True, removed_at__isnull=True),
            ),
            # ... and the answered ones, latest answer first.
            models.Index(
                fields=["event", "-answered_at", "-id"],
                name="question_answered_idx",
                condition=models.Q(answered_at__isnull=False, removed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def get_absolute_url(self) -> str:
        return f"{reverse('events:event', args=[self.event_id])}#question-{self.pk}"

    def moderation_excerpt(self) -> str:
        return self.body[:1000]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "voter"], name="question_vote_once")]

    def __str__(self) -> str:
        return f"{self.voter_id} +1 {self.question_id}"


class EventPoll(models.Model):
    """A poll a host runs during the event: a feed poll (feed.polls, one vote per person, results after
    voting) that the event page shows live, closing when the event ends."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="polls")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["event", "-created_at"], name="event_poll_latest_idx")]

    def __str__(self) -> str:
        return f"poll {self.post_id} in event {self.event_id}"
