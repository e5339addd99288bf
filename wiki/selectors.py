"""Reads of the wiki, and who may read and write which space."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from common.pagination import Page as ListPage
from common.pagination import keyset_page
from communities.models import Community, Membership
from communities.selectors import can_read, member_community_ids, readable_q
from profiles.models import Profile
from wiki.models import Link, Page, Space, Version

TREE_MAX = 1000  # pages a space's contents list shows; a bigger space is browsed by search and links
RECENT = 10
BACKLINKS_MAX = 50
# The chain of parents loaded with a page for its breadcrumbs: as deep as services.DEPTH_MAX allows.
_ANCESTORS = "parent__parent__parent__parent__parent"


def wiki_readable_q(*, member_ids: frozenset[int], prefix: str = "space__community") -> Q:
    """Pages in the company space, a public group's space, or a group the viewer belongs to."""
    return readable_q(member_ids=member_ids, prefix=prefix)


def readable_pages(*, viewer: Profile | None) -> QuerySet[Page]:
    member_ids = member_community_ids(profile=viewer) if viewer is not None else frozenset()
    return Page.objects.filter(wiki_readable_q(member_ids=member_ids), removed_at__isnull=True)


def page_readable(*, object_id: int, viewer: Profile) -> bool:
    return readable_pages(viewer=viewer).filter(pk=object_id).exists()


def space_company() -> Space | None:
    return Space.objects.filter(community__isnull=True).first()


def space_of(*, community: Community) -> Space | None:
    return Space.objects.filter(community=community).first()


def space_readable(*, community: Community | None, viewer: Profile) -> bool:
    if community is None:
        return True
    return can_read(community=community, member_ids=member_community_ids(profile=viewer))


def space_can_edit(*, space: Space | None, community: Community | None, viewer: Profile) -> bool:
    """Company space: the people in its editor group (Communications unless an admin chose another).
    A group's space: its members, or only its admins when the group says so. Never a former employee."""
    user = viewer.user
    if not user.is_active:
        return False
    if community is None:
        if user.is_superuser:
            return True
        return space is not None and user.groups.filter(pk=space.editor_group_id).exists()
    role = (
        Membership.objects.filter(community=community, profile=viewer).values_list("role", flat=True).first()
    )
    if role is None:
        return False
    if space is not None and space.edit_policy == Space.EditPolicy.ADMINS:
        return role == Membership.Role.ADMIN
    return True


def space_can_manage(*, community: Community | None, viewer: Profile, can_edit: bool) -> bool:
    """Who may delete pages: a group's admins; in the company space, its editors."""
    if community is None:
        return can_edit
    return Membership.objects.filter(community=community, profile=viewer, role=Membership.Role.ADMIN).exists()


def page_get(*, space: Space, slug: str) -> Page | None:
    """The page with its author and its parents (for the breadcrumbs): one query."""
    return (
        Page.objects.select_related("author", "space__community", _ANCESTORS)
        .filter(space=space, slug=slug, removed_at__isnull=True)
        .first()
    )


def page_ancestors(page: Page) -> list[Page]:
    """Top first, from the parents page_get loaded (a removed parent ends the trail)."""
    chain = []
    node = page.parent
    while node is not None and node.removed_at is None:
        chain.append(node)
        node = node.parent if "parent" in node._state.fields_cache else None
    return chain[::-1]


@dataclass
class TreeNode:
    page: Page
    children: list["TreeNode"] = field(default_factory=list)


@dataclass
class Tree:
    roots: list[TreeNode]
    count: int
    capped: bool


def space_tree(*, space: Space) -> Tree:
    """The space's pages as a tree, titles in order: one query, capped at TREE_MAX pages.
    A page whose parent is gone (removed, or past the cap) shows at the top."""
    rows = list(
        Page.objects.filter(space=space, removed_at__isnull=True)
        .only("id", "title", "slug", "parent_id", "space_id")
        .order_by(Lower("title"), "id")[: TREE_MAX + 1]
    )
    capped = len(rows) > TREE_MAX
    rows = rows[:TREE_MAX]
    nodes = {p.pk: TreeNode(p) for p in rows}
    roots: list[TreeNode] = []
    for p in rows:
        parent = nodes.get(p.parent_id) if p.parent_id else None
        (parent.children if parent is not None else roots).append(nodes[p.pk])
    return Tree(roots=roots, count=len(rows), capped=capped)


def page_children(*, page: Page, limit: int = 100) -> list[Page]:
    return list(
        Page.objects.filter(parent=page, removed_at__isnull=True)
        .only("id", "title", "slug", "space_id")
        .order_by(Lower("title"), "id")[:limit]
    )


def recent_changes(*, space: Space, limit: int = RECENT) -> list[Page]:
    return list(
        Page.objects.filter(space=space, removed_at__isnull=True)
        .select_related("author")
        .only(
            "id", "title", "slug", "space_id", "version", "updated_at", "author__id", "author__display_name"
        )
        .order_by("-updated_at", "-id")[:limit]
    )


def page_titles_found(*, space: Space, keys: list[str]) -> dict[str, Page]:
    """The live pages of this space with these lower-cased titles: one query for all a page's links."""
    if not keys:
        return {}
    found = (
        Page.objects.filter(space=space, removed_at__isnull=True)
        .annotate(key=Lower("title"))
        .filter(key__in=keys)
        .only("id", "title", "slug", "space_id")
    )
    return {p.key: p for p in found}


def backlinks(*, page: Page, limit: int = BACKLINKS_MAX) -> list[Page]:
    """The pages of the same space whose current text links here ("what links here")."""
    return list(
        Page.objects.filter(
            links_out__space=page.space_id,
            links_out__target_key=page.title.lower(),
            removed_at__isnull=True,
        )
        .exclude(pk=page.pk)
        .only("id", "title", "slug", "space_id")
        .order_by(Lower("title"), "id")[:limit]
    )


def versions_page(*, page: Page, cursor: str | None, size: int = 50) -> ListPage:
    qs = Version.objects.filter(page=page).select_related("author").defer("body")
    return keyset_page(qs, keys=("number",), cursor=cursor, size=size, descending=True)


def version_get(*, page: Page, number: int) -> Version | None:
    return Version.objects.select_related("author").filter(page=page, number=number).first()


def versions_get(*, page: Page, numbers: list[int]) -> dict[int, Version]:
    return {
        v.number: v for v in Version.objects.select_related("author").filter(page=page, number__in=numbers)
    }


def space_page_count(*, space: Space) -> int:
    return Page.objects.filter(space=space, removed_at__isnull=True).count()


def link_count(*, page: Page) -> int:
    return Link.objects.filter(source=page).count()


def page_by_id(*, space: Space, page_id: int) -> Page | None:
    return (
        Page.objects.filter(space=space, pk=page_id, removed_at__isnull=True)
        .only("id", "title", "slug", "space_id")
        .first()
    )
