"""What people are told about: one row per recipient and event, with its text written when it happened."""

from django.db import models
from django.utils import timezone

from profiles.models import Profile


class Kind(models.TextChoices):
    MENTION = "mention", "Someone mentions you"
    REPLY = "reply", "Someone comments on your post or replies to your comment"
    REACTION = "reaction", "Someone reacts to your post"
    ANSWER = "answer", "Your answer is chosen as the best one"
    KUDOS = "kudos", "Someone gives you kudos"
    GROUP = "group", "Group invitations, requests and approvals"
    PROJECT = "project", "Someone adds you to a project"
    MODERATION = "moderation", "A moderator decides on something you wrote, or on your appeal"
    ANNOUNCEMENT = "announcement", "An announcement you haven't acknowledged yet"
    EVENT = "event", "Your question in an ask-me-anything is answered"
    WIKI = "wiki", "Someone edits a wiki page you watch"
    TEAM_KUDOS = "team_kudos", "Someone recognises one of your direct reports"
    BADGE = "badge", "You earn a badge"
    SURVEY = "survey", "A pulse survey asks for your view"
    CELEBRATION = "celebration", "A teammate or someone you follow has a birthday or work anniversary"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In Hive"
    EMAIL = "email", "In Hive and by email"
    OFF = "off", "Off"


# What a kind does until the person chooses: everything in the app; kudos, mentions and moderation
# decisions by email too.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.MENTION: Channel.EMAIL,
    Kind.KUDOS: Channel.EMAIL,
    # A decision on what someone wrote (and their 14 days to appeal) must not go unseen.
    Kind.MODERATION: Channel.EMAIL,
}


class Notification(models.Model):
    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Written at the time, so the list is one query: "Ada replied to your post", and where it leads.
    summary = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by the email path notifications had before the delivery path (delivery/) sent their copies:
    # those are never planned again. The delivery path records what it sent in its own rows.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["recipient"], name="notification_unread_idx", condition=models.Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"to {self.recipient_id}: {self.summary[:50]}"


class Preference(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.kind}: {self.channel}"
