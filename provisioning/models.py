"""SCIM 2.0 provisioning: the company's identity provider creates, updates and deactivates people and
keeps Hive's role groups and linked groups in step with its own groups."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from communities.models import Community
from profiles.models import Profile


class ScimToken(models.Model):
    """A bearer token an admin gives the identity provider. Only its SHA-256 is stored: the token is
    shown once, when it is created."""

    name = models.CharField(max_length=100, help_text="Which provider uses it, e.g. 'Entra ID'.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(max_length=8, editable=False, help_text="The token's first characters.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class ScimIdentity(models.Model):
    """How the provider knows a person: its userName and externalId. Hive's SCIM id is the profile's id."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="scim_identity")
    user_name = models.CharField(max_length=254, unique=True)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "SCIM identities"
        # userName is case-insensitive in SCIM: the providers' `userName eq` filter and the uniqueness
        # check compare UPPER(user_name), which this index serves at 100,000 people.
        indexes = [models.Index(Upper("user_name"), name="scim_identity_user_name_ci")]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    """A provider group. It grants a Hive role (same name as a role group) or membership of a linked Hive
    group; a group linked to neither is kept, with its members, until an admin links it."""

    display_name = models.CharField(max_length=255, unique=True)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    role_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The Hive group whose membership follows this provider group.",
    )  # fmt: skip
    renamed_from = models.CharField(
        max_length=255, blank=True,
        help_text="The provider renamed this linked group from this name: check that the link still holds. "
        "Saving the group confirms its link.",
    )  # fmt: skip
    members: models.ManyToManyField[Profile, ScimGroupMember] = models.ManyToManyField(
        Profile, through="ScimGroupMember", related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "SCIM group"

    def __str__(self) -> str:
        return self.display_name


class ScimGroupMember(models.Model):
    group = models.ForeignKey(ScimGroup, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "profile"], name="scim_member_once")]
        indexes = [models.Index(fields=["profile"], name="scim_member_profile_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.group_id}"


class ScimEvent(models.Model):
    """Every change the provider made (or tried), like an HR import's run record."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        LINK = "link", "Linked to an existing account"
        UPDATE = "update", "Updated"
        DEACTIVATE = "deactivate", "Deactivated"
        REACTIVATE = "reactivate", "Reactivated"
        GROUP_CREATE = "group_create", "Group created"
        GROUP_UPDATE = "group_update", "Group updated"
        GROUP_DELETE = "group_delete", "Group deleted"
        MEMBERS_ADD = "members_add", "Members added"
        MEMBERS_REMOVE = "members_remove", "Members removed"
        REFUSED = "refused", "Refused: nothing written"

    at = models.DateTimeField(default=timezone.now)
    token = models.ForeignKey(ScimToken, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    resource = models.CharField(max_length=10)  # "User" or "Group"
    resource_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at", "-id"], name="scim_event_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.resource} {self.resource_id}"
