"""Watching wiki pages: who is told of edits, and the every-minute job that tells them, in batches.

An edit marks its page pending (Page.notify_pending_since, in the edit's own transaction). The job
tells watchers once a page has been quiet for QUIET, or has waited LONGEST_WAIT through a run of
saves: five saves in ten minutes are one notification ("Ada and Colin edited “Travel” (5 changes)"),
linking to the difference since what the watcher was last told of. It reads only committed edits,
so a save that rolls back tells nobody. Each page is claimed with a conditional update in the
transaction that writes its notifications: a second run, or a rerun after a crash, tells nobody twice.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.models import Membership
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Profile
from wiki.models import Page, Space, Version, Watch

# A page saved again within this is still being written: wait for it to settle.
QUIET = timedelta(minutes=5)
# But never longer than this after the first save nobody was told of.
LONGEST_WAIT = timedelta(minutes=30)
# Pages handled per transaction of the job.
BATCH = 100
# Editors named in a notification; more are "and N others".
NAMES_SHOWN = 2


def page_watch_add(*, profile: Profile, page: Page) -> None:
    """Writing or editing a page watches it (inside the caller's transaction)."""
    Watch.objects.bulk_create([Watch(profile=profile, page=page)], ignore_conflicts=True)


@transaction.atomic
def page_watch_toggle(*, profile: Profile, page_id: int) -> bool:
    """Watch the page, or stop; returns whether `profile` now watches it."""
    deleted, _ = Watch.objects.filter(profile=profile, page_id=page_id).delete()
    if deleted:
        return False
    Watch.objects.bulk_create([Watch(profile=profile, page_id=page_id)], ignore_conflicts=True)
    return True


@transaction.atomic
def space_watch_toggle(*, profile: Profile, space: Space) -> bool:
    """Be told of edits to every page of the wiki, or stop; returns whether `profile` now is."""
    deleted, _ = Watch.objects.filter(profile=profile, space=space).delete()
    if deleted:
        return False
    Watch.objects.bulk_create([Watch(profile=profile, space=space)], ignore_conflicts=True)
    return True


def watching(*, profile: Profile, page: Page | None, space: Space | None) -> tuple[bool, bool]:
    """(watches the page, watches its whole wiki): one query."""
    cond = Q(pk__in=[])
    if page is not None:
        cond |= Q(page=page)
    if space is not None:
        cond |= Q(space=space)
    found = list(Watch.objects.filter(cond, profile=profile).values_list("page_id", "space_id"))
    return any(p for p, _ in found), any(s for _, s in found)


def edits_notify_due(*, now: datetime | None = None) -> int:
    """Tell watchers of the edits whose time has come; returns how many notifications were written."""
    now = now or timezone.now()
    written = 0
    while True:
        done, told = _batch_notify(now=now)
        written += told
        if done < BATCH:
            return written


def _due(now: datetime) -> Q:
    return Q(notify_pending_since__isnull=False) & (
        Q(updated_at__lte=now - QUIET) | Q(notify_pending_since__lte=now - LONGEST_WAIT)
    )


@transaction.atomic
def _batch_notify(*, now: datetime) -> tuple[int, int]:
    """Up to BATCH due pages, claimed and told of: (pages handled, notifications written)."""
    pages = list(
        Page.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("space__community")
        .filter(_due(now))
        .order_by("notify_pending_since", "id")[:BATCH]
    )
    if not pages:
        return 0, 0
    # The claim: whatever happens below commits with it, or neither does.
    Page.objects.filter(pk__in=[p.pk for p in pages]).update(notify_pending_since=None)
    live = [p for p in pages if p.removed_at is None]
    # Who saved each page's new versions, in order (one query for the batch).
    editors: dict[int, list[int]] = defaultdict(list)
    rows = (
        Version.objects.filter(
            Q(*[Q(page_id=p.pk, number__gt=p.notified_version) for p in live], _connector=Q.OR)
        )
        .order_by("page_id", "number")
        .values_list("page_id", "author_id")
        if live
        else []
    )
    for page_id, author_id in rows:
        editors[page_id].append(author_id)
    # Who watches each page or its space (one query), and who may still read a private group's (one).
    watchers: dict[int, set[int]] = defaultdict(set)
    by_space: dict[int, set[int]] = defaultdict(set)
    watch_rows = Watch.objects.filter(
        Q(page__in=live) | Q(space_id__in={p.space_id for p in live}),
        profile__user__is_active=True,
    ).values_list("profile_id", "page_id", "space_id")
    for profile_id, page_id, space_id in watch_rows:
        if page_id is not None:
            watchers[page_id].add(profile_id)
        else:
            by_space[space_id].add(profile_id)
    private = {p.space.community_id for p in live if p.space.community and p.space.community.is_private}
    members: dict[int, set[int]] = defaultdict(set)
    for community_id, profile_id in Membership.objects.filter(community_id__in=private).values_list(
        "community_id", "profile_id"
    ):
        members[community_id].add(profile_id)
    told: dict[int, set[int]] = {}
    for page in live:
        recipients = watchers[page.pk] | by_space[page.space_id]
        group_id = page.space.community_id
        if group_id is not None and group_id in private:
            recipients &= members[group_id]
        # Nobody is told of their own edits; someone who edited too is told of the others'.
        told[page.pk] = {pk for pk in recipients if set(editors.get(page.pk, [])) - {pk}}
    # The editors and the people told, for names and addresses: one query for the batch.
    people = Profile.objects.filter(
        id__in={pk for ids in [*editors.values(), *told.values()] for pk in ids}
    ).only("id", "user_id", "display_name")
    profiles = {p.pk: p for p in people}
    written = 0
    for page in live:
        authors = editors.get(page.pk)
        if authors and told[page.pk]:
            distinct = set(authors)
            written += notify(
                recipients=[profiles[pk] for pk in sorted(told[page.pk])],
                kind=Kind.WIKI,
                # One editor is the notification's actor; several are named in its text only.
                actor=profiles[authors[-1]] if len(distinct) == 1 else None,
                summary=_summary(page, authors=authors, names=profiles),
                url=_url(page),
            )
        page.notified_version = page.version
    Page.objects.bulk_update(live, ["notified_version"])
    return len(pages), written


def _summary(page: Page, *, authors: list[int], names: dict[int, Profile]) -> str:
    # The latest editors first: who to ask about the page as it reads now.
    distinct = [names[a].display_name for a in dict.fromkeys(reversed(authors))]
    if len(distinct) > NAMES_SHOWN:
        others = len(distinct) - NAMES_SHOWN
        who = f"{', '.join(distinct[:NAMES_SHOWN])} and {others} other{'s' if others > 1 else ''}"
    else:
        who = " and ".join(distinct)
    wiki = f"the {page.space.community.name} wiki" if page.space.community else "the company wiki"
    if page.notified_version == 0:
        return f"{who} wrote a new page “{page.title}” in {wiki}"
    changes = f" ({len(authors)} changes)" if len(authors) > 1 else ""
    return f"{who} edited “{page.title}”{changes} in {wiki}"


def _url(page: Page) -> str:
    if page.notified_version == 0:
        return page.get_absolute_url()
    return f"{page.diff_url()}?from={page.notified_version}&to={page.version}"
