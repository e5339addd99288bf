"""SCIM 2.0's wire format (RFC 7643/7644) as the identity providers send it: reading a User or Group
resource into plain values, writing Hive's people and groups back as resources, applying PATCH
operations in both Entra ID's and Okta's shapes, and filters.

A PATCH is applied to the resource as Hive shows it, and the result is read like a PUT: one way in
for every shape of change, and the same validation for all of them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser, SCIMParserError
from scim2_filter_parser.transpilers.django_q_object import Transpiler

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json"

# Filters the providers send to find a resource before creating it: attribute -> Django lookup path.
USER_FILTERS = {
    ("userName", None, None): "scim_identity__user_name",
    ("externalId", None, None): "scim_identity__external_id",
    ("emails", "value", None): "user__email",
    ("active", None, None): "user__is_active",
}
GROUP_FILTERS = {
    ("displayName", None, None): "display_name",
    ("externalId", None, None): "external_id",
}


class ScimError(Exception):
    """An error answered in SCIM's own format (RFC 7644 §3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


@dataclass(frozen=True)
class UserData:
    """A User resource read into what Hive keeps."""

    user_name: str
    email: str
    display_name: str
    job_title: str
    active: bool
    department: str
    location: str
    manager_id: int | None
    external_id: str


@dataclass(frozen=True)
class GroupData:
    display_name: str
    external_id: str
    member_ids: list[int] | None  # None: the resource did not name its members


def _text(value: Any, what: str, *, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise invalid(f"{what} must be a string.")
    text = str(value).strip()
    if len(text) > limit:
        raise invalid(f"{what} is longer than {limit} characters.")
    return text


def _bool(value: Any, what: str) -> bool:
    """Entra ID sends booleans as the strings "True" and "False" in PATCH operations."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid(f"{what} must be true or false.")


def _resource_id(value: Any, what: str) -> int:
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise invalid(f"{what} must be the id of a user in Hive.")


def _typed(items: Any, what: str) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise invalid(f"{what} must be a list of objects.")
    return items


def _work(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The primary entry of a multi-valued attribute, else the work one, else the first."""
    for test in (lambda i: i.get("primary") in (True, "True", "true"), lambda i: i.get("type") == "work"):
        for item in items:
            if test(item):
                return item
    return items[0] if items else None


def user_read(body: Any) -> UserData:
    """Reads a User resource (POST, PUT, or a PATCHed resource); every problem is a clear 400."""
    if not isinstance(body, dict):
        raise invalid("The body must be a JSON object.")
    user_name = _text(body.get("userName"), "userName", limit=254)
    if not user_name:
        raise invalid("userName is required.")
    email_item = _work(_typed(body.get("emails"), "emails"))
    email = _text(email_item.get("value") if email_item else None, "emails.value", limit=254)
    email = (email or (user_name if "@" in user_name else "")).lower()
    if not email:
        raise invalid("A work email is required (emails, or a userName that is an address).")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise invalid(f"{email!r} is not an email address.") from exc
    name: dict[str, Any] = body["name"] if isinstance(body.get("name"), dict) else {}
    display_name = _text(body.get("displayName"), "displayName", limit=150) or _text(
        name.get("formatted"), "name.formatted", limit=150
    )
    if not display_name:
        given = _text(name.get("givenName"), "name.givenName", limit=75)
        family = _text(name.get("familyName"), "name.familyName", limit=75)
        display_name = f"{given} {family}".strip() or email.split("@")[0]
    enterprise = body.get(ENTERPRISE) or {}
    if not isinstance(enterprise, dict):
        raise invalid(f"{ENTERPRISE} must be an object.")
    manager = enterprise.get("manager")
    if isinstance(manager, dict) and not manager.get("value"):
        manager = None  # Okta and Entra clear a manager with an empty value
    address = _work(_typed(body.get("addresses"), "addresses")) or {}
    location = _text(address.get("locality"), "addresses.locality", limit=120) or _text(
        address.get("formatted"), "addresses.formatted", limit=120
    )
    return UserData(
        user_name=user_name,
        email=email,
        display_name=display_name,
        job_title=_text(body.get("title"), "title", limit=150),
        active=_bool(body.get("active", True), "active"),
        department=_text(enterprise.get("department"), "department", limit=120),
        location=location,
        manager_id=_resource_id(manager, "manager") if manager not in (None, "") else None,
        external_id=_text(body.get("externalId"), "externalId", limit=255),
    )


def group_read(body: Any) -> GroupData:
    if not isinstance(body, dict):
        raise invalid("The body must be a JSON object.")
    display_name = _text(body.get("displayName"), "displayName", limit=255)
    if not display_name:
        raise invalid("displayName is required.")
    members = body.get("members")
    return GroupData(
        display_name=display_name,
        external_id=_text(body.get("externalId"), "externalId", limit=255),
        member_ids=None
        if members is None
        else [_resource_id(m, "members.value") for m in _typed(members, "members")],
    )


# PATCH (RFC 7644 §3.5.2). Paths seen from the providers: "active", "title", "name.givenName",
# "emails[type eq \"work\"].value", "addresses[type eq \"work\"].locality", the enterprise extension's
# "urn:...:User:department" and ":manager", "members", "members[value eq \"12\"]"; or no path and an
# object of attributes (Okta's {"active": false}).
_VALUE_FILTER = re.compile(r'^(\w+)\[(\w+) eq "([^"]*)"\](?:\.(\w+))?$')


def patch_apply(resource: dict[str, Any], body: Any) -> dict[str, Any]:
    """The resource after the PATCH request's operations, in order; the input is not changed."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise invalid("A PATCH body has an Operations list.")
    result = copy.deepcopy(resource)
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            raise invalid("Each operation must be an object.")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise invalid(f"Unknown operation {operation.get('op')!r}: use add, replace or remove.")
        path = operation.get("path")
        value = operation.get("value")
        if path in (None, ""):
            if op == "remove" or not isinstance(value, dict):
                raise invalid("An operation without a path needs an object of attributes to set.")
            for key, item in value.items():
                _path_set(result, key, item, op)
        elif not isinstance(path, str):
            raise invalid("path must be a string.")
        elif op == "remove":
            _path_remove(result, path, value)
        else:
            _path_set(result, path, value, op)
    return result


def patch_members_delta(body: Any) -> tuple[list[int], list[int]] | None:
    """For a group PATCH whose operations only add or remove members (the shapes Entra ID and Okta send
    as people join and leave), the ids to add and to remove, applied in order; None for any other PATCH,
    which is applied to the whole resource. Adding to a group of 100,000 then reads only the people
    named, not the whole member list."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        return None
    adding: dict[int, None] = {}
    removing: dict[int, None] = {}
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            return None
        op, path, value = str(operation.get("op", "")).lower(), operation.get("path"), operation.get("value")
        if op in ("add", "remove") and path == "members" and value is not None:
            ids = [_resource_id(m, "members.value") for m in _typed(value, "members")]
        elif op == "remove" and isinstance(path, str) and (match := _VALUE_FILTER.match(path)):
            attribute, key, wanted, sub = match.groups()
            if attribute != "members" or key != "value" or sub:
                return None
            ids = [_resource_id(wanted, "members.value")]
        else:
            return None
        for pid in ids:
            (removing if op == "add" else adding).pop(pid, None)
            (adding if op == "add" else removing)[pid] = None
    return list(adding), list(removing)


def _path_set(resource: dict[str, Any], path: str, value: Any, op: str) -> None:
    if path == ENTERPRISE and isinstance(value, dict):
        resource.setdefault(ENTERPRISE, {}).update(value)
        return
    if path.startswith(ENTERPRISE + ":"):
        resource.setdefault(ENTERPRISE, {})[path[len(ENTERPRISE) + 1 :]] = value
        return
    match = _VALUE_FILTER.match(path)
    if match:
        attribute, key, wanted, sub = match.groups()
        items = resource.setdefault(attribute, [])
        item = next((i for i in items if str(i.get(key)) == wanted), None)
        if item is None:
            item = {key: wanted}
            items.append(item)
        if sub:
            item[sub] = value
        elif isinstance(value, dict):
            item.update(value)
        return
    if path == "members" and op == "add":
        members = resource.setdefault("members", [])
        known = {str(m.get("value")) for m in members}
        members.extend(m for m in _typed(value, "members") if str(m.get("value")) not in known)
        return
    head, _, tail = path.partition(".")
    if tail:
        nested = resource.setdefault(head, {})
        if not isinstance(nested, dict):
            raise invalid(f"{head} has no attribute {tail}.")
        nested[tail] = value
    else:
        resource[path] = value


def _path_remove(resource: dict[str, Any], path: str, value: Any) -> None:
    if path.startswith(ENTERPRISE + ":"):
        resource.get(ENTERPRISE, {}).pop(path[len(ENTERPRISE) + 1 :], None)
        return
    match = _VALUE_FILTER.match(path)
    if match:
        attribute, key, wanted, sub = match.groups()
        items = resource.get(attribute, [])
        if sub:
            for item in items:
                if str(item.get(key)) == wanted:
                    item.pop(sub, None)
        else:
            resource[attribute] = [i for i in items if str(i.get(key)) != wanted]
        return
    if path == "members" and value is not None:  # Entra: remove these members, named in value
        gone = {str(m.get("value")) for m in _typed(value, "members")}
        resource["members"] = [m for m in resource.get("members", []) if str(m.get("value")) not in gone]
        return
    head, _, tail = path.partition(".")
    if tail and isinstance(resource.get(head), dict):
        resource[head].pop(tail, None)
    else:
        resource.pop(path, None)


def filter_q(expression: str, attributes: dict) -> Q:
    """A SCIM filter (`userName eq "a@example.com"`) as a Django Q over the given attributes."""
    if len(expression) > 1000:
        raise invalid("The filter is longer than 1,000 characters.")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(expression))
        query = Transpiler(attributes).transpile(tree)
    except (SCIMParserError, ValueError, KeyError, AttributeError) as exc:
        raise ScimError(400, f"Hive cannot read the filter {expression!r}: {exc}", "invalidFilter") from exc
    if not isinstance(query, Q):  # an attribute Hive does not filter on leaves nothing to filter by
        raise ScimError(400, f"Hive cannot filter on {expression!r}.", "invalidFilter")
    return _indexed(query)


def _indexed(query: Q) -> Q:
    """The transpiler compares case-insensitively (UPPER(column) = UPPER(value)). Addresses are stored
    in lower case, so they are compared lowered; ids (externalId) are case-exact in SCIM. Both then use
    their column's index. userName stays case-insensitive, as SCIM says, on an index of UPPER(userName)."""
    children: list[Any] = []
    for child in query.children:
        if isinstance(child, Q):
            children.append(_indexed(child))
            continue
        if not isinstance(child, tuple):
            children.append(child)
            continue
        lookup, value = child  # a Q's leaves are (lookup, value) pairs
        if (
            lookup.endswith("__iexact")
            and isinstance(value, str)
            and not lookup.endswith("user_name__iexact")
        ):
            field = lookup.removesuffix("__iexact")
            child = (field, value.lower() if field.endswith("email") else value)
        children.append(child)
    indexed = copy.copy(query)
    indexed.children = children
    return indexed
