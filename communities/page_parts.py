"""Parts of the group page that apps above communities contribute (feed: the group's compose box,
posts and pages), so communities imports none of them. Each registers in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString

from communities.models import Community, Membership
from profiles.models import Profile


@dataclass(frozen=True)
class GroupPagePart:
    html: SafeString
    status: int = 200  # 400 when the part shows a form's errors


# Called for every GET and POST of the group page, in registration order. Returns the part, or a
# response that ends the request (a redirect after a post, a 400 for a bad page link); may raise
# PermissionDenied or Http404 like a view. `readable` says whether the viewer may see the group's content.
GroupPagePartView = Callable[..., GroupPagePart | HttpResponse]
_parts: list[GroupPagePartView] = []


def group_page_part_register(view: GroupPagePartView) -> None:
    if view not in _parts:
        _parts.append(view)


def group_page_parts(
    request: HttpRequest,
    *,
    community: Community,
    membership: Membership | None,
    viewer: Profile,
    readable: bool,
) -> list[GroupPagePart] | HttpResponse:
    """Every contributed part of this group's page, or the first response a part ends the request with."""
    parts = []
    for view in _parts:
        result = view(request, community=community, membership=membership, viewer=viewer, readable=readable)
        if isinstance(result, HttpResponse):
            return result
        parts.append(result)
    return parts
