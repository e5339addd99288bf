"""Hive's people and provider groups as SCIM resources."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from profiles.models import Profile
from provisioning.models import ScimGroup, ScimGroupMember
from provisioning.scim import ENTERPRISE, GROUP_FILTERS, GROUP_SCHEMA, USER_FILTERS, USER_SCHEMA, filter_q

MAX_PAGE = 200


def users(*, filter_expression: str | None = None) -> QuerySet[Profile]:
    people = Profile.objects.select_related("user", "department", "location", "manager", "scim_identity")
    if filter_expression:
        people = people.filter(filter_q(filter_expression, USER_FILTERS))
    return people.order_by("pk")


def groups(*, filter_expression: str | None = None, with_members: bool = True) -> QuerySet[ScimGroup]:
    found = ScimGroup.objects.all()
    if filter_expression:
        found = found.filter(filter_q(filter_expression, GROUP_FILTERS))
    if with_members:
        found = found.prefetch_related(
            Prefetch("memberships", ScimGroupMember.objects.select_related("profile").order_by("profile_id"))
        )
    return found.order_by("pk")


def _meta(kind: str, location: str, created: Any, modified: Any) -> dict[str, str]:
    return {
        "resourceType": kind,
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "location": location,
    }


def user_resource(profile: Profile, *, base: str) -> dict[str, Any]:
    user = profile.user
    identity = getattr(profile, "scim_identity", None)
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "id": str(profile.pk),
        "userName": identity.user_name if identity else user.email,
        "displayName": profile.display_name,
        "name": {"formatted": profile.display_name},
        "title": profile.job_title,
        "active": user.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        ENTERPRISE: {"department": profile.department.name if profile.department else ""},
        "meta": _meta(
            "User",
            f"{base}/Users/{profile.pk}",
            profile.created_at,
            identity.updated_at if identity else profile.created_at,
        ),
    }
    if identity and identity.external_id:
        resource["externalId"] = identity.external_id
    if profile.location:
        # Only "formatted": a PATCH of either sub-attribute then wins when the resource is read back
        # (provisioning.scim.user_read prefers locality, which Hive never writes).
        resource["addresses"] = [{"type": "work", "formatted": profile.location.name}]
    if profile.manager:
        resource[ENTERPRISE]["manager"] = {
            "value": str(profile.manager.pk),
            "displayName": profile.manager.display_name,
        }
    return resource


def group_resource(group: ScimGroup, *, base: str, with_members: bool = True) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": str(group.pk),
        "displayName": group.display_name,
        "meta": _meta("Group", f"{base}/Groups/{group.pk}", group.created_at, group.created_at),
    }
    if group.external_id:
        resource["externalId"] = group.external_id
    if with_members:
        resource["members"] = [
            {
                "value": str(m.profile_id),
                "display": m.profile.display_name,
                "$ref": f"{base}/Users/{m.profile_id}",
            }
            for m in group.memberships.all()
        ]
    return resource
