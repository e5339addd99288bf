"""The wiki's card on a group's page: its latest pages and a way in (as feed contributes the posts)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from communities.models import Community, Membership
from communities.page_parts import GroupPagePart
from profiles.models import Profile
from wiki import selectors

SHOWN = 5


def group_wiki_part(
    request: HttpRequest,
    *,
    community: Community,
    membership: Membership | None,
    viewer: Profile,
    readable: bool,
) -> GroupPagePart:
    if not readable:
        return GroupPagePart(html=SafeString(""))
    space = selectors.space_of(community=community)
    recent = []
    if space is not None:
        space.community = community
        recent = selectors.recent_changes(space=space, limit=SHOWN)
        for page in recent:
            page.space = space
    html = render_to_string(
        "wiki/_group_part.html",
        {
            "community": community,
            "recent": recent,
            "index_url": reverse("wiki:group_index", args=[community.slug]),
            "is_member": membership is not None,
        },
        request=request,
    )
    return GroupPagePart(html=html)
