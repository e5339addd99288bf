"""The wiki's pages: a space's contents, a page, its editor, history, differences and old versions."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import action_run, bad_cursor_400, form_errors_add
from communities.models import Community
from communities.selectors import community_by_slug
from profiles.models import Profile
from profiles.selectors import viewer_profile
from wiki import selectors, services, watches
from wiki.forms import MoveForm, PageForm, PolicyForm
from wiki.models import Page, Space
from wiki.text import lines_diff, link_keys, page_render


@dataclass
class Where:
    """The space a request is in, and what the viewer may do there."""

    community: Community | None
    space: Space | None
    viewer: Profile
    can_edit: bool

    def url(self, name: str, *args) -> str:
        if self.community is None:
            return reverse(f"wiki:{name}", args=args)
        return reverse(f"wiki:group_{name}", args=[self.community.slug, *args])

    @property
    def index_url(self) -> str:
        return self.url("index")

    @property
    def new_url(self) -> str:
        return self.url("new")

    @property
    def watch_url(self) -> str:
        return self.url("space_watch")

    @property
    def name(self) -> str:
        return "Company wiki" if self.community is None else f"{self.community.name} wiki"


def _where(request, group_slug: str | None) -> Where:
    viewer = viewer_profile(request)
    if group_slug is None:
        space: Space | None = services.company_space_ensure()
        community = None
    else:
        community = community_by_slug(slug=group_slug)
        if community is None:
            raise Http404("No such group.")
        if not selectors.space_readable(community=community, viewer=viewer):
            raise PermissionDenied(f"{community.name} is private: only its members read its wiki.")
        space = selectors.space_of(community=community)
    if space is not None:
        space.community = community  # the pages below build their addresses from it
    can_edit = selectors.space_can_edit(space=space, community=community, viewer=viewer)
    return Where(community=community, space=space, viewer=viewer, can_edit=can_edit)


def _attach(where: Where, pages) -> None:
    """Pages read from this space share its row, so their addresses cost no query."""
    space = where.space
    if space is None:
        return
    for p in pages:
        p.space = space


def _page(where: Where, slug: str) -> Page:
    space = where.space
    page = selectors.page_get(space=space, slug=slug) if space is not None else None
    if page is None or space is None:
        raise Http404("No such page in this wiki: it may have been deleted.")
    page.space = space  # with its community set by _where
    return page


def _rendered(where: Where, page_body: str):
    found = selectors.page_titles_found(space=where.space, keys=link_keys(page_body)) if where.space else {}
    _attach(where, found.values())
    return page_render(
        page_body,
        resolve=lambda key: found[key].get_absolute_url() if key in found else None,
        new_url=where.new_url if where.can_edit else None,
    )


@require_GET
def index(request, group_slug: str | None = None):
    where = _where(request, group_slug)
    tree, recent = None, []
    if where.space is not None:
        tree = selectors.space_tree(space=where.space)
        recent = selectors.recent_changes(space=where.space)
        _attach(where, recent)
        _attach(where, [n.page for n in _walk(tree.roots)])
    _, watching_space = watches.watching(profile=where.viewer, page=None, space=where.space)
    is_admin = where.community is not None and selectors.space_can_manage(
        community=where.community, viewer=where.viewer, can_edit=where.can_edit
    )
    policy_form = None
    if is_admin:
        policy = where.space.edit_policy if where.space else Space.EditPolicy.MEMBERS
        policy_form = PolicyForm(initial={"edit_policy": policy})
    return render(
        request,
        "wiki/index.html",
        {
            "where": where,
            "tree": tree,
            "recent": recent,
            "policy_form": policy_form,
            "watching_space": watching_space,
        },
    )


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


@require_http_methods(["GET", "POST"])
def create(request, group_slug: str | None = None):
    where = _where(request, group_slug)
    if not where.can_edit:
        raise PermissionDenied("You can read this wiki but not write in it.")
    if request.method == "POST":
        form = PageForm(request.POST)
    else:
        form = PageForm(
            initial={"title": request.GET.get("title", "")[:200], "parent": request.GET.get("parent")}
        )
    parent = None
    parent_id = form["parent"].value()
    if parent_id and str(parent_id).isdigit() and where.space is not None:
        parent = selectors.page_by_id(space=where.space, page_id=int(parent_id))
    if request.method == "POST" and form.is_valid():
        try:
            page = services.page_create(
                author=where.viewer,
                community=where.community,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                parent_id=parent.pk if parent else None,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, f"“{page.title}” is written.")
            page.space.community = where.community
            return redirect(page)
    return render(
        request,
        "wiki/edit.html",
        {"where": where, "form": form, "page": None, "parent": parent},
        status=400 if form.errors else 200,
    )


@require_GET
def page(request, slug: str, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    children = selectors.page_children(page=page)
    links_here = selectors.backlinks(page=page)
    _attach(where, [*children, *links_here])
    ancestors = selectors.page_ancestors(page)
    _attach(where, ancestors)
    watching_page, watching_space = watches.watching(profile=where.viewer, page=page, space=where.space)
    return render(
        request,
        "wiki/page.html",
        {
            "where": where,
            "page": page,
            "html": _rendered(where, page.body),
            "children": children,
            "links_here": links_here,
            "ancestors": ancestors,
            "can_manage": selectors.space_can_manage(
                community=where.community, viewer=where.viewer, can_edit=where.can_edit
            ),
            "move_form": MoveForm(initial={"parent_title": page.parent.title if page.parent else ""}),
            "watching_page": watching_page,
            "watching_space": watching_space,
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request, slug: str, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    if not where.can_edit:
        raise PermissionDenied("You can read this wiki but not write in it.")
    conflict = None
    status = 200
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            try:
                saved = services.page_update(
                    page_id=page.pk,
                    editor=where.viewer,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    base_version=form.cleaned_data["base_version"] or 0,
                    summary=form.cleaned_data["summary"],
                )
            except services.EditConflict as exc:
                conflict = exc
                # Their text stays in the form; saving again goes on from the version now current.
                data = request.POST.copy()
                data["base_version"] = str(exc.page.version)
                form = PageForm(data)
                form.is_valid()
                status = 409
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, f"Saved as version {saved.version}.")
                return redirect(page)
    else:
        form = PageForm(initial={"title": page.title, "body": page.body, "base_version": page.version})
    if form.errors:
        status = 400
    return render(
        request,
        "wiki/edit.html",
        {"where": where, "form": form, "page": page, "conflict": conflict},
        status=status,
    )


@require_POST
def move(request, slug: str, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A page title is at most 200 characters.")
        return redirect(page)
    action_run(
        request,
        lambda: services.page_move(
            page_id=page.pk, editor=where.viewer, parent_title=form.cleaned_data["parent_title"]
        ),
        success="Moved.",
    )
    return redirect(page)


@require_POST
def delete(request, slug: str, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    if action_run(
        request,
        lambda: services.page_delete(page_id=page.pk, actor=where.viewer),
        success=f"“{page.title}” is deleted; its sub-pages moved up.",
    ):
        return redirect(where.index_url)
    return redirect(page)


@require_POST
def watch(request, slug: str, group_slug: str | None = None):
    """Watch the page (be told of its edits), or stop."""
    where = _where(request, group_slug)
    page = _page(where, slug)
    now = watches.page_watch_toggle(profile=where.viewer, page_id=page.pk)
    messages.success(
        request,
        f"You watch “{page.title}”: you'll be told when someone edits it."
        if now
        else f"You no longer watch “{page.title}”.",
    )
    return redirect(page)


@require_POST
def space_watch(request, group_slug: str | None = None):
    """Be told of edits to every page of this wiki, or stop."""
    where = _where(request, group_slug)
    space = where.space or services.space_ensure(community=where.community)
    now = watches.space_watch_toggle(profile=where.viewer, space=space)
    messages.success(
        request,
        f"You watch the {where.name}: you'll be told of new pages and edits."
        if now
        else f"You no longer watch the {where.name}.",
    )
    return redirect(where.index_url)


@bad_cursor_400
@require_GET
def history(request, slug: str, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    versions = selectors.versions_page(page=page, cursor=request.GET.get("cursor"))
    for v in versions.items:
        v.url, v.restore_url = page.version_url(v.number), page.restore_url(v.number)
    return render(request, "wiki/history.html", {"where": where, "page": page, "versions": versions})


def _number(request, name: str, default: int) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    return int(raw) if raw.isdigit() else None


@require_GET
def diff(request, slug: str, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    old_no = _number(request, "from", max(page.version - 1, 1))
    new_no = _number(request, "to", page.version)
    if old_no is None or new_no is None:
        return HttpResponseBadRequest("Compare versions by their numbers, e.g. ?from=2&to=5.")
    found = selectors.versions_get(page=page, numbers=[old_no, new_no])
    if old_no not in found or new_no not in found:
        raise Http404(f"This page has versions 1 to {page.version}.")
    old, new = found[old_no], found[new_no]
    return render(
        request,
        "wiki/diff.html",
        {
            "where": where,
            "page": page,
            "old": old,
            "new": new,
            "changes": lines_diff(old.body, new.body),
            "title_changed": old.title != new.title,
        },
    )


@require_GET
def version(request, slug: str, number: int, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    old = selectors.version_get(page=page, number=number)
    if old is None:
        raise Http404(f"This page has versions 1 to {page.version}.")
    return render(
        request,
        "wiki/version.html",
        {
            "where": where,
            "page": page,
            "old": old,
            "html": _rendered(where, old.body),
            "restore_url": page.restore_url(number),
        },
    )


@require_POST
def restore(request, slug: str, number: int, group_slug: str | None = None):
    where = _where(request, group_slug)
    page = _page(where, slug)
    action_run(
        request,
        lambda: services.page_restore(page_id=page.pk, editor=where.viewer, number=number),
        success=lambda p: f"Version {number} is back, as version {p.version}.",
    )
    return redirect(page)


@require_POST
def group_settings(request, group_slug: str):
    where = _where(request, group_slug)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who may write the wiki: every member, or only admins.")
    else:
        community = where.community
        assert community is not None  # a group's address
        action_run(
            request,
            lambda: services.space_policy_set(
                community=community, admin=where.viewer, policy=form.cleaned_data["edit_policy"]
            ),
            success="Saved: the wiki's writers are updated.",
        )
    return redirect(where.index_url)
