"""Groups (called communities in code, to stay clear of django.contrib.auth's Group)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from profiles.models import Profile


class Community(models.Model):
    class Category(models.TextChoices):
        WORK = "work", "Work"
        SOCIAL = "social", "Social"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read and join"
        PRIVATE = "private", "Private: members only; others ask to join"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=110, unique=True, allow_unicode=True)
    description = models.TextField(max_length=2000, blank=True)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.WORK)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="communities_created")
    created_at = models.DateTimeField(default=timezone.now)
    # Kept equal to the active memberships by communities.services.
    member_count = models.PositiveIntegerField(default=0)
    # A moderator removed the description (a decision on a flag): the group stays, its description is
    # kept but shown to nobody until an appeal or an admin restores it.
    description_removed_at = models.DateTimeField(null=True, blank=True)
    description_removed_by = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "group"
        verbose_name_plural = "groups"
        indexes = [models.Index(fields=["-member_count", "id"], name="community_popular_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.slug])

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    def moderation_excerpt(self) -> str:
        """What people flag about a group: its name and description."""
        return f"{self.name}\n\n{self.description}"[:1000].strip()


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="community_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "profile"], name="membership_once")]
        indexes = [
            # "My groups" and the visibility check: which communities is this person in?
            models.Index(fields=["profile", "community"], name="membership_profile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.community_id} ({self.role})"


class JoinRequest(models.Model):
    """Someone asked to join a private group; an admin of the group decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="join_requests")
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "profile"],
                condition=models.Q(status="pending"),
                name="one_pending_request",
            )
        ]
        indexes = [models.Index(fields=["community", "status", "created_at"], name="join_request_queue_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} asks to join {self.community_id} ({self.status})"


class GroupInvitation(models.Model):
    """A group admin asked a colleague to join; the colleague accepts or declines.

    Accepting makes them a member even of a private group: the admin's invitation is the approval.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="group_invitations")
    invited_by = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "invitee"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation",
            )
        ]
        indexes = [
            # The group page asks: has this visitor a pending invitation here?
            models.Index(fields=["invitee", "community", "status"], name="invitation_invitee_idx")
        ]

    def __str__(self) -> str:
        return f"{self.invitee_id} invited to {self.community_id} by {self.invited_by_id} ({self.status})"
