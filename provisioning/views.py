"""/scim/v2/: SCIM 2.0 for the company's identity provider (Entra ID, Okta...), with a bearer token."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from profiles.models import Profile
from provisioning import selectors, services
from provisioning.models import ScimGroup, ScimToken
from provisioning.scim import (
    CONTENT_TYPE,
    LIST_SCHEMA,
    ScimError,
    group_read,
    invalid,
    patch_apply,
    patch_members_delta,
    user_read,
)

MAX_BODY_BYTES = 5 * 1024 * 1024
Handler = Callable[..., HttpResponse]


def _json(body: dict[str, Any], *, status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def _error(error: ScimError) -> HttpResponse:
    response = _json(error.body(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Hive SCIM"'
    return response


def scim_endpoint(methods: tuple[str, ...]) -> Callable[[Handler], Handler]:
    """Bearer-token authentication (never the browser session), SCIM errors, JSON bodies."""

    def decorate(view: Handler) -> Handler:
        @csrf_exempt
        @login_not_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                scheme, _, key = request.headers.get("Authorization", "").partition(" ")
                token = services.token_authenticate(key=key.strip()) if scheme.lower() == "bearer" else None
                if token is None:
                    raise ScimError(401, "A valid SCIM bearer token is required.")
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here.")
                return view(request, token, *args, **kwargs)
            except ScimError as error:
                return _error(error)

        return wrapped

    return decorate


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY_BYTES:
        raise ScimError(413, "The body is larger than 5 MB.")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ScimError(400, f"The body is not valid JSON: {exc}", "invalidSyntax") from exc


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _page(request: HttpRequest) -> tuple[int, int]:
    try:
        start = max(1, int(request.GET.get("startIndex", 1)))
        count = min(selectors.MAX_PAGE, max(0, int(request.GET.get("count", 100))))
    except ValueError as exc:
        raise invalid("startIndex and count must be whole numbers.") from exc
    return start, count


def _listed(
    request: HttpRequest, found: QuerySet[Any], render: Callable[[Any], dict[str, Any]]
) -> HttpResponse:
    """A ListResponse of the page that startIndex and count ask for."""
    start, count = _page(request)
    page = [render(item) for item in found[start - 1 : start - 1 + count]]
    return _json(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": found.count(),
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": page,
        }
    )


def _created(resource: dict[str, Any]) -> HttpResponse:
    return _json(resource, status=201, location=resource["meta"]["location"])


def _profile(pk: str) -> Profile:
    if not pk.isdigit():
        raise ScimError(404, f"No user {pk}.")
    profile = selectors.users().filter(pk=int(pk)).first()
    if profile is None:
        raise ScimError(404, f"No user {pk}.")
    return profile


def _group(pk: str, *, with_members: bool = True) -> ScimGroup:
    found = selectors.groups(with_members=with_members)
    group = found.filter(pk=int(pk)).first() if pk.isdigit() else None
    if group is None:
        raise ScimError(404, f"No group {pk}.")
    return group


@scim_endpoint(("GET", "POST"))
def users(request: HttpRequest, token: ScimToken) -> HttpResponse:
    base = _base(request)
    if request.method == "POST":
        profile, created = services.user_provision(token=token, data=user_read(_body(request)))
        return _created(selectors.user_resource(_profile(str(profile.pk)), base=base))
    found = selectors.users(filter_expression=request.GET.get("filter"))
    return _listed(request, found, lambda p: selectors.user_resource(p, base=base))


@scim_endpoint(("GET", "PUT", "PATCH", "DELETE"))
def user(request: HttpRequest, token: ScimToken, pk: str) -> HttpResponse:
    profile, base = _profile(pk), _base(request)
    if request.method == "DELETE":
        services.user_deactivate(token=token, profile=profile)
        return HttpResponse(status=204)
    if request.method == "PUT":
        services.user_update(token=token, profile=profile, data=user_read(_body(request)))
    elif request.method == "PATCH":
        patched = patch_apply(selectors.user_resource(profile, base=base), _body(request))
        services.user_update(token=token, profile=profile, data=user_read(patched))
    if request.method != "GET":
        profile = _profile(pk)
    return _json(selectors.user_resource(profile, base=base))


def _with_members(request: HttpRequest) -> bool:
    return "members" not in request.GET.get("excludedAttributes", "")


@scim_endpoint(("GET", "POST"))
def groups(request: HttpRequest, token: ScimToken) -> HttpResponse:
    base = _base(request)
    if request.method == "POST":
        group = services.group_provision(token=token, data=group_read(_body(request)))
        return _created(selectors.group_resource(_group(str(group.pk)), base=base))
    members = _with_members(request)
    found = selectors.groups(filter_expression=request.GET.get("filter"), with_members=members)
    return _listed(request, found, lambda g: selectors.group_resource(g, base=base, with_members=members))


@scim_endpoint(("GET", "PUT", "PATCH", "DELETE"))
def group(request: HttpRequest, token: ScimToken, pk: str) -> HttpResponse:
    if request.method == "PATCH" and (delta := patch_members_delta(_body(request))) is not None:
        services.group_members_change(
            token=token, group=_group(pk, with_members=False), add=delta[0], remove=delta[1]
        )
        return HttpResponse(status=204)
    found, base = _group(pk), _base(request)
    if request.method == "DELETE":
        services.group_delete(token=token, group=found)
        return HttpResponse(status=204)
    if request.method == "PUT":
        services.group_update(token=token, group=found, data=group_read(_body(request)))
    elif request.method == "PATCH":
        patched = patch_apply(selectors.group_resource(found, base=base), _body(request))
        services.group_update(token=token, group=found, data=group_read(patched))
        # 204 (RFC 7644 §3.5.2): a group of 100,000 members is not sent back after each change.
        return HttpResponse(status=204)
    if request.method != "GET":
        found = _group(pk)
    return _json(selectors.group_resource(found, base=base, with_members=_with_members(request)))


@scim_endpoint(("GET",))
def service_provider_config(request: HttpRequest, token: ScimToken) -> HttpResponse:
    return _json(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": selectors.MAX_PAGE},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A token from Hive's admin.",
                }
            ],
        }
    )
