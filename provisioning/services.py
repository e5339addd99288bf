"""Every change the identity provider makes through SCIM: people created, linked, updated, deactivated;
groups created and their members kept in step with Hive's role groups and linked Hive groups.

Each call is one transaction with its ScimEvent row: a request either changes everything it asks for
and is recorded, or changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from communities.models import Community
from communities.services import community_members_deprovision, community_members_provision
from profiles.models import Department, Location, Profile, User
from profiles.roles import ROLE_GROUPS
from profiles.services import company_addresses_verify
from profiles.signals import accounts_activation_changed
from provisioning.models import ScimEvent, ScimGroup, ScimGroupMember, ScimIdentity, ScimToken
from provisioning.scim import GroupData, ScimError, UserData, invalid

TOKEN_BYTES = 32
# A token's last use is written at most this often: not one UPDATE per provisioning request.
LAST_USED_EVERY_SECONDS = 60


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, name: str, created_by: User | None) -> tuple[ScimToken, str]:
    """A new bearer token for a provider: the row, and the token itself (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise invalid("Name the provider that will use the token.")
    key = "hive_scim_" + secrets.token_urlsafe(TOKEN_BYTES)
    token = ScimToken.objects.create(
        name=name, key_hash=_key_hash(key), key_prefix=key[10:18], created_by=created_by
    )
    return token, key


def token_revoke(*, token: ScimToken) -> None:
    ScimToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_authenticate(*, key: str) -> ScimToken | None:
    """The live token with this key, or None."""
    token = ScimToken.objects.filter(key_hash=_key_hash(key), revoked_at__isnull=True).first()
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
            ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def _event(token: ScimToken, action: str, resource: str, resource_id: object, **detail: object) -> None:
    ScimEvent.objects.create(
        token=token, action=action, resource=resource, resource_id=str(resource_id), detail=detail
    )


def _users_by_address(email: str):
    # LOWER(email) = ..., which the unique index on LOWER(email) serves; an iexact compares UPPER() and
    # read every account at 100,000 people (bench/scim).
    return User.objects.alias(email_lower=Lower("email")).filter(email_lower=email.lower())


def _named(model: type[Department] | type[Location], name: str) -> int | None:
    if not name:
        return None
    found = model.objects.filter(name__iexact=name).values_list("pk", flat=True).first()
    return found if found is not None else model.objects.create(name=name).pk


def _profile_values(data: UserData, *, profile: Profile | None) -> dict[str, object]:
    """The profile's columns as the provider describes the person. With the current `profile` (its
    department, location and manager loaded), unchanged names cost no look-up."""
    if data.manager_id is not None:
        if profile is not None and data.manager_id == profile.pk:
            raise invalid("A person cannot be their own manager.")
        unchanged = profile is not None and data.manager_id == profile.manager_id
        if not unchanged and not Profile.objects.filter(pk=data.manager_id).exists():
            raise ScimError(400, f"manager {data.manager_id} is not a user in Hive.", "invalidValue")
    return {
        "display_name": data.display_name,
        "job_title": data.job_title,
        "department_id": _named_again(Department, data.department, profile.department if profile else None),
        "location_id": _named_again(Location, data.location, profile.location if profile else None),
        "manager_id": data.manager_id,
    }


def _named_again(model: type[Department] | type[Location], name: str, current) -> int | None:
    if current is not None and name.lower() == current.name.lower():
        return current.pk
    return _named(model, name)


def _activation_changed(user_ids: list[int]) -> None:
    # Expertise recounts its holders; a deactivated person's sessions end at their next request, since
    # authentication refuses inactive accounts.
    transaction.on_commit(
        lambda: accounts_activation_changed.send(sender=User, user_ids=user_ids), robust=True
    )


@transaction.atomic
def user_provision(*, token: ScimToken, data: UserData) -> tuple[Profile, bool]:
    """POST /Users: a new person, or a company account Hive already has (HR import, demo) linked by its
    work email. Returns the profile and whether the account was created."""
    if ScimIdentity.objects.filter(user_name__iexact=data.user_name).exists():
        raise ScimError(409, f"A user with userName {data.user_name!r} exists already.", "uniqueness")
    user = _users_by_address(data.email).select_for_update().first()
    if user is not None:
        profile = Profile.objects.filter(user=user).first()
        if profile is not None and ScimIdentity.objects.filter(profile=profile).exists():
            raise ScimError(409, f"{data.email} belongs to another provisioned user.", "uniqueness")
        values = _profile_values(data, profile=profile)
        if profile is None:
            profile = Profile.objects.create(user=user, **values)
        else:
            Profile.objects.filter(pk=profile.pk).update(**values)
        if user.is_active != data.active:
            User.objects.filter(pk=user.pk).update(is_active=data.active)
            _activation_changed([user.pk])
        created, action = False, ScimEvent.Action.LINK
    else:
        values = _profile_values(data, profile=None)
        user = User.objects.create_user(email=data.email, password=None, is_active=data.active)
        company_addresses_verify(users=[user])
        profile = Profile.objects.create(user=user, **values)
        created, action = True, ScimEvent.Action.CREATE
    try:
        with transaction.atomic():
            ScimIdentity.objects.create(
                profile=profile, user_name=data.user_name, external_id=data.external_id
            )
    except IntegrityError as exc:
        raise ScimError(
            409, f"A user with userName {data.user_name!r} exists already.", "uniqueness"
        ) from exc
    _event(token, action, "User", profile.pk, email=data.email, user_name=data.user_name)
    return profile, created


@transaction.atomic
def user_update(*, token: ScimToken, profile: Profile, data: UserData) -> None:
    """PUT or PATCH /Users/<id>: the person as the provider now describes them. `profile` is as the
    view just read it (user, department, location, identity loaded). A company account Hive already had
    (HR import, demo), which the provider found by its address, is linked on its first update."""
    user = User.objects.select_for_update().get(pk=profile.user_id)
    if data.email != user.email.lower() and _users_by_address(data.email).exclude(pk=user.pk).exists():
        raise ScimError(409, f"{data.email} is another person's address in Hive.", "uniqueness")
    identity = ScimIdentity.objects.filter(profile=profile).first()
    if (
        identity is None or identity.user_name.lower() != data.user_name.lower()
    ) and ScimIdentity.objects.filter(user_name__iexact=data.user_name).exclude(profile=profile).exists():
        raise ScimError(409, f"A user with userName {data.user_name!r} exists already.", "uniqueness")
    values = _profile_values(data, profile=profile)
    changed = sorted(name for name, value in values.items() if getattr(profile, name) != value)
    if changed:
        Profile.objects.filter(pk=profile.pk).update(**values)
    if data.email != user.email.lower():
        changed.append("email")
        User.objects.filter(pk=user.pk).update(email=data.email)
        company_addresses_verify(users=[User(pk=user.pk, email=data.email)])
    if identity is None:
        ScimIdentity.objects.create(profile=profile, user_name=data.user_name, external_id=data.external_id)
        _event(token, ScimEvent.Action.LINK, "User", profile.pk, email=data.email, user_name=data.user_name)
    elif (identity.user_name, identity.external_id) != (data.user_name, data.external_id):
        ScimIdentity.objects.filter(pk=identity.pk).update(
            user_name=data.user_name, external_id=data.external_id, updated_at=timezone.now()
        )
    if user.is_active != data.active:
        User.objects.filter(pk=user.pk).update(is_active=data.active)
        _activation_changed([user.pk])
        action = ScimEvent.Action.REACTIVATE if data.active else ScimEvent.Action.DEACTIVATE
        _event(token, action, "User", profile.pk, email=data.email)
    if changed:
        _event(token, ScimEvent.Action.UPDATE, "User", profile.pk, fields=changed)


@transaction.atomic
def user_deactivate(*, token: ScimToken, profile: Profile) -> None:
    """DELETE /Users/<id>: Hive keeps what a person wrote, so leaving deactivates rather than deletes."""
    if User.objects.filter(pk=profile.user_id, is_active=True).update(is_active=False):
        _activation_changed([profile.user_id])
        _event(token, ScimEvent.Action.DEACTIVATE, "User", profile.pk)


def _target_find(display_name: str) -> tuple[Group | None, Community | None]:
    """A provider group named like a Hive role group grants that role; named like a Hive group, it keeps
    that group's membership."""
    if display_name in ROLE_GROUPS:
        role, _ = Group.objects.get_or_create(name=display_name)
        return role, None
    return None, Community.objects.filter(name__iexact=display_name).first()


def _known_profiles(ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(ids))
    found = set(Profile.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise invalid(f"These members are not users in Hive: {', '.join(map(str, missing[:10]))}.")
    return ids


def _granted_elsewhere(group: ScimGroup, profile_ids: list[int]) -> set[int]:
    """Of these people, those another provider group still puts in the same role or Hive group."""
    others = ScimGroupMember.objects.filter(profile_id__in=profile_ids).exclude(group=group)
    if group.role_group_id:
        others = others.filter(group__role_group_id=group.role_group_id)
    elif group.community_id:
        others = others.filter(group__community_id=group.community_id)
    else:
        return set()
    return set(others.values_list("profile_id", flat=True))


def _members_add(group: ScimGroup, profile_ids: list[int]) -> None:
    ScimGroupMember.objects.bulk_create(
        [ScimGroupMember(group=group, profile_id=pid) for pid in profile_ids], ignore_conflicts=True
    )
    if group.role_group_id:
        user_ids = Profile.objects.filter(pk__in=profile_ids).values_list("user_id", flat=True)
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=uid, group_id=group.role_group_id) for uid in user_ids], ignore_conflicts=True
        )
    elif group.community is not None:
        community_members_provision(community=group.community, profile_ids=profile_ids)


def _members_remove(group: ScimGroup, profile_ids: list[int]) -> None:
    ScimGroupMember.objects.filter(group=group, profile_id__in=profile_ids).delete()
    leaving = [pid for pid in profile_ids if pid not in _granted_elsewhere(group, profile_ids)]
    if not leaving:
        return
    if group.role_group_id:
        user_ids = Profile.objects.filter(pk__in=leaving).values_list("user_id", flat=True)
        User.groups.through.objects.filter(group_id=group.role_group_id, user_id__in=user_ids).delete()
    elif group.community is not None:
        community_members_deprovision(community=group.community, profile_ids=leaving)


def _members_sync(token: ScimToken, group: ScimGroup, wanted: list[int]) -> None:
    current = set(ScimGroupMember.objects.filter(group=group).values_list("profile_id", flat=True))
    _members_apply(token, group, [pid for pid in wanted if pid not in current], sorted(current - set(wanted)))


def _members_apply(token: ScimToken, group: ScimGroup, adding: list[int], removing: list[int]) -> None:
    if adding:
        _members_add(group, adding)
        _event(token, ScimEvent.Action.MEMBERS_ADD, "Group", group.pk, profiles=adding)
    if removing:
        _members_remove(group, removing)
        _event(token, ScimEvent.Action.MEMBERS_REMOVE, "Group", group.pk, profiles=removing)


@transaction.atomic
def group_members_change(*, token: ScimToken, group: ScimGroup, add: list[int], remove: list[int]) -> None:
    """PATCH adding or removing members: only the people named are read and written, whatever the size
    of the group. An unknown person among those added changes nothing."""
    group = ScimGroup.objects.select_for_update().get(pk=group.pk)
    add = _known_profiles(add) if add else []
    named = [*add, *remove]
    current = set(
        ScimGroupMember.objects.filter(group=group, profile_id__in=named).values_list("profile_id", flat=True)
    )
    _members_apply(
        token,
        group,
        [pid for pid in add if pid not in current],
        sorted({pid for pid in remove if pid in current}),
    )


@transaction.atomic
def group_provision(*, token: ScimToken, data: GroupData) -> ScimGroup:
    if ScimGroup.objects.filter(display_name__iexact=data.display_name).exists():
        raise ScimError(409, f"A group named {data.display_name!r} exists already.", "uniqueness")
    role, community = _target_find(data.display_name)
    group = ScimGroup.objects.create(
        display_name=data.display_name, external_id=data.external_id, role_group=role, community=community
    )
    _event(
        token, ScimEvent.Action.GROUP_CREATE, "Group", group.pk,
        display_name=data.display_name, grants=role.name if role else community.name if community else "",
    )  # fmt: skip
    _members_sync(token, group, _known_profiles(data.member_ids or []))
    return group


@transaction.atomic
def group_update(*, token: ScimToken, group: ScimGroup, data: GroupData) -> ScimGroup:
    """PUT or PATCH /Groups/<id>. Renaming keeps what the group grants: an admin decides links, so a
    linked group's rename is flagged for them (a "Moderators" renamed "Former moderators" at the
    provider still grants the role until an admin says otherwise)."""
    group = ScimGroup.objects.select_for_update().get(pk=group.pk)
    if (group.display_name, group.external_id) != (data.display_name, data.external_id):
        if ScimGroup.objects.filter(display_name__iexact=data.display_name).exclude(pk=group.pk).exists():
            raise ScimError(409, f"A group named {data.display_name!r} exists already.", "uniqueness")
        previous = group.display_name
        renamed = previous != data.display_name
        if renamed and (group.role_group_id or group.community_id) and not group.renamed_from:
            group.renamed_from = previous
        group.display_name, group.external_id = data.display_name, data.external_id
        group.save(update_fields=["display_name", "external_id", "renamed_from"])
        detail = {"display_name": data.display_name, **({"renamed_from": previous} if renamed else {})}
        _event(token, ScimEvent.Action.GROUP_UPDATE, "Group", group.pk, **detail)
    if data.member_ids is not None:
        _members_sync(token, group, _known_profiles(data.member_ids))
    return group


@transaction.atomic
def group_delete(*, token: ScimToken, group: ScimGroup) -> None:
    """DELETE /Groups/<id>: its members lose what it granted (unless another group grants it too)."""
    _members_sync(token, group, [])
    _event(token, ScimEvent.Action.GROUP_DELETE, "Group", group.pk, display_name=group.display_name)
    group.delete()


@transaction.atomic
def group_link(*, group: ScimGroup, community: Community | None, role_group: Group | None = None) -> None:
    """Admin: this provider group now grants `role_group`, or keeps `community`'s membership, or
    neither. Its members lose what the old link gave them (unless another provider group gives it
    too) and gain the new one. Saving also confirms a link flagged after a rename."""
    if community is not None and role_group is not None:
        raise ValidationError("A provider group grants a role or keeps a Hive group's membership, not both.")
    if role_group is not None and role_group.name not in ROLE_GROUPS:
        raise ValidationError(f"{role_group.name} is not one of Hive's roles ({', '.join(ROLE_GROUPS)}).")
    group = ScimGroup.objects.select_for_update().get(pk=group.pk)
    members = list(ScimGroupMember.objects.filter(group=group).values_list("profile_id", flat=True))
    if (group.community_id, group.role_group_id) != (
        community.pk if community else None,
        role_group.pk if role_group else None,
    ):
        if members and (group.community_id or group.role_group_id):
            _members_remove(group, members)
            ScimGroupMember.objects.bulk_create(
                [ScimGroupMember(group=group, profile_id=pid) for pid in members]
            )
        group.community, group.role_group = community, role_group
        if members:
            _members_add(group, members)
    group.renamed_from = ""
    group.save(update_fields=["community", "role_group", "renamed_from"])
