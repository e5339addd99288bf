"""Every change to the wiki: writing, editing, restoring, moving and deleting pages, a group's edit policy."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from communities.models import Community, Membership
from moderation.services import audit_record
from profiles import roles
from profiles.models import Profile
from wiki import selectors
from wiki.models import Link, Page, Space, Version
from wiki.text import TITLE_FORBIDDEN, lines_diff, link_keys, title_clean, title_key
from wiki.watches import page_watch_add

TITLE_MAX = 200
BODY_MAX = 100_000  # characters: about 40 printed pages; longer belongs in sub-pages
SUMMARY_MAX = 200
DEPTH_MAX = 6  # levels of pages under the top (selectors loads this many parents for the breadcrumbs)


class EditConflict(ValidationError):
    """Someone saved the page after the editor opened it. Nothing was saved; the editor's text is
    theirs to keep, and `changes` shows what the other person changed meanwhile."""

    def __init__(self, *, page: Page, base: Version | None, mine_title: str, mine_body: str):
        self.page = page
        self.base_number = base.number if base is not None else 0
        self.mine_title, self.mine_body = mine_title, mine_body
        self.changes = lines_diff(base.body if base is not None else "", page.body)
        self.title_changed = base is not None and base.title != page.title
        super().__init__(
            f"{page.author.display_name} saved this page (version {page.version}) while you were editing "
            f"version {self.base_number}. Nothing of yours is lost: your text is below. Check their "
            "change, merge what you need, and save again."
        )


def _space_lock(*, community: Community | None) -> Space:
    """The space, made on first use (a group's with its first page, the company's with its first)."""
    if community is None:
        space = Space.objects.filter(community__isnull=True).first()
        if space is None:
            editors, _ = Group.objects.get_or_create(name=roles.COMMUNICATIONS)
            try:
                with transaction.atomic():
                    space = Space.objects.create(community=None, editor_group=editors)
            except IntegrityError:
                space = Space.objects.get(community__isnull=True)
        return space
    try:
        with transaction.atomic():
            space, _ = Space.objects.get_or_create(community=community)
    except IntegrityError:
        space = Space.objects.get(community=community)
    return space


def company_space_ensure() -> Space:
    """The company-wide space, edited by the Communications group until an admin picks another."""
    return _space_lock(community=None)


def space_ensure(*, community: Community | None) -> Space:
    """The group's space (or the company's), made now if nobody has written a page yet."""
    return _space_lock(community=community)


def _require_edit(*, space: Space, viewer: Profile) -> None:
    if not selectors.space_can_edit(space=space, community=space.community, viewer=viewer):
        if space.community is None:
            raise PermissionDenied("Only the company wiki's editors can change its pages.")
        if space.edit_policy == Space.EditPolicy.ADMINS:
            raise PermissionDenied(f"Only the admins of {space.community.name} can change its wiki.")
        raise PermissionDenied(f"Only members of {space.community.name} can change its wiki.")


def _clean(*, space: Space, title: str, body: str, summary: str, page: Page | None) -> tuple[str, str, str]:
    title = title_clean(title)
    body = (body or "").replace("\r\n", "\n")
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Give the page a title."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"A title is at most {TITLE_MAX} characters (this one has {len(title):,})."]
    elif TITLE_FORBIDDEN.search(title):
        errors["title"] = ["A title can't contain [ ] or |: they write links between pages."]
    else:
        same = Page.objects.annotate(key=Lower("title")).filter(
            space=space, key=title.lower(), removed_at__isnull=True
        )
        if page is not None:
            same = same.exclude(pk=page.pk)
        if same.exists():
            errors["title"] = [
                f"This wiki already has a page called “{title}”: open it, or choose another title."
            ]
    if not body.strip():
        errors["body"] = ["Write something on the page."]
    elif len(body) > BODY_MAX:
        errors["body"] = [
            f"A page is at most {BODY_MAX:,} characters and this one has {len(body):,}: "
            "split it into sub-pages. Nothing was saved."
        ]
    if errors:
        raise ValidationError(errors)
    return title, body, " ".join((summary or "").split())[:SUMMARY_MAX]


def _unique_slug(*, space: Space, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:200] or "page"
    taken = set(Page.objects.filter(space=space, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _links_set(page: Page) -> None:
    Link.objects.filter(source=page).delete()
    keys = [k for k in link_keys(page.body) if k != page.title.lower()]
    Link.objects.bulk_create([Link(source=page, space_id=page.space_id, target_key=k) for k in keys])


def _save_guarded(save) -> None:
    """The title check above reads before writing: two people creating the same title at once meet
    the unique constraint instead, and are told the same thing."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as exc:
        raise ValidationError(
            {"title": ["This wiki already has a page with that title: choose another."]}
        ) from exc


def _depth(page: Page | None) -> int:
    """Levels above `page` plus one (a top-level page is at depth 1); 0 for no page."""
    depth = 0
    while page is not None:
        depth += 1
        page = page.parent
    return depth


@transaction.atomic
def page_create(
    *,
    author: Profile,
    community: Community | None,
    title: str,
    body: str,
    parent_id: int | None = None,
    summary: str = "",
) -> Page:
    """A new page, as version 1, in the company space (community None) or the group's."""
    space = _space_lock(community=community)
    _require_edit(space=space, viewer=author)
    title, body, summary = _clean(space=space, title=title, body=body, summary=summary, page=None)
    parent = None
    if parent_id is not None:
        parent = Page.objects.filter(pk=parent_id, space=space, removed_at__isnull=True).first()
        if parent is None:
            raise ValidationError("The page to put this one under is gone; choose another.")
        if _depth(parent) >= DEPTH_MAX:
            raise ValidationError(f"Pages go {DEPTH_MAX} levels deep at most: put this one higher up.")
    now = timezone.now()
    page = Page(
        space=space,
        parent=parent,
        title=title,
        body=body,
        slug=_unique_slug(space=space, title=title),
        created_by=author,
        author=author,
        created_at=now,
        updated_at=now,
        # Watchers of the space are told of the new page (wiki/watches.py).
        notify_pending_since=now,
    )
    _save_guarded(page.save)
    Version.objects.create(
        page=page, number=1, title=title, body=body, author=author, created_at=now, summary=summary
    )
    _links_set(page)
    page_watch_add(profile=author, page=page)
    audit_record(actor=author, action="wiki.page_create", target=page)
    return page


def _version_new(
    *, page: Page, editor: Profile, title: str, body: str, summary: str, restored_from: int | None = None
) -> Page:
    """Saves `title` and `body` as the page's next version; the caller holds the page's row lock."""
    now = timezone.now()
    page.version += 1
    page.title, page.body, page.author, page.updated_at = title, body, editor, now
    # Its watchers are told in a batch once the page settles (wiki/watches.py).
    page.notify_pending_since = page.notify_pending_since or now
    fields = ["title", "body", "author", "updated_at", "version", "notify_pending_since"]
    _save_guarded(lambda: page.save(update_fields=fields))
    Version.objects.create(
        page=page,
        number=page.version,
        title=title,
        body=body,
        author=editor,
        created_at=now,
        summary=summary,
        restored_from=restored_from,
    )
    _links_set(page)
    page_watch_add(profile=editor, page=page)
    return page


def _page_lock(page_id: int) -> Page:
    # Only the page's row: the editor waits here for anyone saving the same page right now.
    page = (
        Page.objects.select_for_update(of=("self",))
        .select_related("space__community", "author")
        .filter(pk=page_id, removed_at__isnull=True)
        .first()
    )
    if page is None:
        raise ValidationError("That page has been deleted.")
    return page


@transaction.atomic
def page_update(
    *, page_id: int, editor: Profile, title: str, body: str, base_version: int, summary: str = ""
) -> Page:
    """Saves a new version, unless someone saved the page since `base_version` (the version the
    editor opened): then EditConflict, and nothing is saved."""
    page = _page_lock(page_id)
    _require_edit(space=page.space, viewer=editor)
    if page.version != base_version:
        base = Version.objects.filter(page=page, number=base_version).first()
        raise EditConflict(page=page, base=base, mine_title=title, mine_body=body)
    title, body, summary = _clean(space=page.space, title=title, body=body, summary=summary, page=page)
    if title == page.title and body == page.body:
        raise ValidationError(
            "Nothing changed: the title and text are as they were, so no version was added."
        )
    page = _version_new(page=page, editor=editor, title=title, body=body, summary=summary)
    audit_record(actor=editor, action="wiki.page_edit", target=page, version=page.version)
    return page


@transaction.atomic
def page_restore(*, page_id: int, editor: Profile, number: int) -> Page:
    """Puts back an older version's title and text as a new version: the versions since stay."""
    page = _page_lock(page_id)
    _require_edit(space=page.space, viewer=editor)
    old = Version.objects.filter(page=page, number=number).first()
    if old is None:
        raise ValidationError("That version does not exist.")
    if old.title == page.title and old.body == page.body:
        raise ValidationError(f"The page already reads as version {number} did.")
    title, body, _ = _clean(space=page.space, title=old.title, body=old.body, summary="", page=page)
    page = _version_new(
        page=page,
        editor=editor,
        title=title,
        body=body,
        summary=f"Restored version {number}",
        restored_from=number,
    )
    audit_record(actor=editor, action="wiki.page_restore", target=page, version=page.version, restored=number)
    return page


@transaction.atomic
def page_move(*, page_id: int, editor: Profile, parent_title: str) -> Page:
    """Puts the page under the page titled `parent_title` in the same space ("" for the top)."""
    page = _page_lock(page_id)
    _require_edit(space=page.space, viewer=editor)
    parent = None
    if title_clean(parent_title):
        parent = (
            Page.objects.select_related("parent__parent__parent__parent__parent__parent")
            .annotate(key=Lower("title"))
            .filter(space=page.space, key=title_key(parent_title), removed_at__isnull=True)
            .first()
        )
        if parent is None:
            raise ValidationError(f"This wiki has no page called “{title_clean(parent_title)}”.")
        node: Page | None = parent
        while node is not None:
            if node.pk == page.pk:
                raise ValidationError("A page can't go under itself or one of its own sub-pages.")
            node = node.parent
    # How many levels the page and its sub-pages take: one query per level, DEPTH_MAX at most.
    height, level = 0, [page.pk]
    while level and height <= DEPTH_MAX:
        height += 1
        level = list(
            Page.objects.filter(parent_id__in=level, removed_at__isnull=True).values_list("id", flat=True)
        )
    if _depth(parent) + height > DEPTH_MAX:
        raise ValidationError(f"Pages go {DEPTH_MAX} levels deep at most: that would put some deeper.")
    page.parent = parent
    page.save(update_fields=["parent"])
    audit_record(actor=editor, action="wiki.page_move", target=page, parent=parent.pk if parent else None)
    return page


@transaction.atomic
def page_delete(*, page_id: int, actor: Profile) -> Page:
    """Hides the page and its versions (a group's admins, or the company wiki's editors); its
    sub-pages move up to its place in the tree."""
    page = _page_lock(page_id)
    can_edit = selectors.space_can_edit(space=page.space, community=page.space.community, viewer=actor)
    if not selectors.space_can_manage(community=page.space.community, viewer=actor, can_edit=can_edit):
        raise PermissionDenied("Only the group's admins can delete its wiki pages.")
    now = timezone.now()
    Page.objects.filter(parent=page).update(parent=page.parent_id)
    page.removed_at, page.removed_by = now, actor
    page.save(update_fields=["removed_at", "removed_by"])
    audit_record(actor=actor, action="wiki.page_delete", target=page)
    return page


@transaction.atomic
def page_remove_by_moderator(*, object_id: int, moderator: Profile, at) -> None:
    page = Page.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
    if page is None:
        return
    Page.objects.filter(parent=page).update(parent=page.parent_id)
    page.removed_at, page.removed_by = at, moderator
    page.save(update_fields=["removed_at", "removed_by"])


@transaction.atomic
def space_policy_set(*, community: Community, admin: Profile, policy: str) -> Space:
    """A group's admins choose whether every member or only admins write its wiki."""
    if not Membership.objects.filter(community=community, profile=admin, role=Membership.Role.ADMIN).exists():
        raise PermissionDenied(f"Only the admins of {community.name} can change who writes its wiki.")
    if policy not in Space.EditPolicy.values:
        raise ValidationError("Choose who may write the wiki: every member, or only admins.")
    space = _space_lock(community=community)
    space.edit_policy = policy
    space.save(update_fields=["edit_policy"])
    audit_record(actor=admin, action="wiki.policy_set", target=space, policy=policy)
    return space
