"""The nightly fill of the figures declared in analytics/figures.py: where people sat (placements),
then one day's figures per segment, with the privacy rule applied before anything is stored."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import product

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from analytics import fill_arrays, fill_sql
from analytics.figures import FIGURES, tenure_band
from analytics.models import (
    ALL,
    NONE,
    OTHER,
    FillState,
    GroupActivity,
    GroupDay,
    InteractionDay,
    Placement,
    SegmentDay,
)
from analytics.privacy import Key, publishable
from common.days import day_bounds
from communities.models import Community
from feed.models import Comment, Reaction
from profiles.models import Profile
from recognition.models import KudosRecipient

SEGMENTS = "segments"
GROUPS = "groups"


@transaction.atomic
def placements_record(*, day: date) -> int:
    """Record where every active employee sits from `day` on; returns how many spans opened.

    Spans that no longer match the person (moved, new manager, left the company) close the day
    before; a span opened on or after `day` by an earlier run is replaced, so reruns change nothing.
    A person's first span starts at their start date (or reaches back, when it is unknown)."""
    current = {
        pk: (department, location, manager, start)
        for pk, department, location, manager, start in Profile.objects.filter(
            user__is_active=True
        ).values_list("pk", "department_id", "location_id", "manager_id", "start_date")
    }
    open_spans = Placement.objects.filter(valid_to__isnull=True).values_list(
        "pk", "profile_id", "department_id", "location_id", "manager_id", "start_date", "valid_from"
    )
    to_close, to_delete, still_open = [], [], set()
    for pk, profile_id, department, location, manager, start, valid_from in open_spans.iterator(
        chunk_size=5000
    ):
        if current.get(profile_id) == (department, location, manager, start):
            still_open.add(profile_id)
        elif valid_from is not None and valid_from >= day:
            to_delete.append(pk)
        else:
            to_close.append(pk)
    Placement.objects.filter(pk__in=to_delete).delete()
    Placement.objects.filter(pk__in=to_close).update(valid_to=day - timedelta(days=1))

    newcomers = set(current) - still_open
    seen_before = set(
        Placement.objects.filter(profile_id__in=newcomers).values_list("profile_id", flat=True).distinct()
    )
    spans = []
    for profile_id in sorted(newcomers):
        department, location, manager, start = current[profile_id]
        valid_from = day if profile_id in seen_before else start
        spans.append(
            Placement(
                profile_id=profile_id,
                department_id=department,
                location_id=location,
                manager_id=manager,
                start_date=start,
                valid_from=valid_from,
            )
        )
    Placement.objects.bulk_create(spans, batch_size=2000)
    return len(spans)


def placements_on(day: date) -> dict[int, Key]:
    """Every person placed on `day`, as their leaf segment (department, location, tenure band)."""
    spans = Placement.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    ).values_list("profile_id", "department_id", "location_id", "start_date")
    return {
        profile_id: (department or NONE, location or NONE, tenure_band(start, day))
        for profile_id, department, location, start in spans.iterator(chunk_size=5000)
    }


def _margins(leaf: Key) -> list[Key]:
    """The leaf and every segment containing it: each coordinate as itself or ALL."""
    return [(d, loc, t) for d, loc, t in product((leaf[0], ALL), (leaf[1], ALL), (leaf[2], ALL))]


INTERACTIONS = ("replies", "reactions", "kudos")


def _interactions(day: date) -> list[tuple[str, int, int]]:
    """(kind, from whom, to whom) for every reply, reaction and kudos of `day`, self-replies aside."""
    start, end = day_bounds(day)
    when = {"created_at__gte": start, "created_at__lt": end}
    # A reply goes to the comment it answers, or else to the post's author.
    replies = Comment.objects.filter(**when).values_list("author_id", "parent__author_id", "post__author_id")
    reactions = Reaction.objects.filter(**when).values_list("profile_id", "post__author_id")
    kudos = KudosRecipient.objects.filter(**when).values_list("giver_id", "recipient_id")
    found = [("replies", a, parent or post) for a, parent, post in replies.iterator(chunk_size=5000)]
    found += [("reactions", a, b) for a, b in reactions.iterator(chunk_size=5000)]
    found += [("kudos", a, b) for a, b in kudos.iterator(chunk_size=5000)]
    return [(kind, a, b) for kind, a, b in found if a != b]


def interaction_pairs(day: date, placed: dict[int, Key], shown_departments: set[int]) -> dict:
    """Interactions per (from department, to department); withheld departments as OTHER."""
    pairs: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for kind, a, b in _interactions(day):
        if a not in placed or b not in placed:
            continue  # someone who no longer worked here that day
        source, target = placed[a][0], placed[b][0]
        source = source if source in shown_departments else OTHER
        target = target if target in shown_departments else OTHER
        pairs[(source, target)][kind] += 1
    return pairs


def segment_figures(day: date, placed: dict[int, Key] | None = None) -> dict[Key, dict[str, int]]:
    """Every non-empty segment's figures on `day`, before the privacy rule."""
    placed = placements_on(day) if placed is None else placed
    per_leaf: dict[Key, Counter[str]] = defaultdict(Counter)
    for leaf in placed.values():
        per_leaf[leaf]["headcount"] += 1
    for figure in FIGURES:
        if figure.collect is None:
            continue
        for profile_id, n in figure.collect(day).items():
            where = placed.get(profile_id)
            if where is not None:  # someone no longer employed that day counts nowhere
                per_leaf[where][figure.name] += n
    cube: dict[Key, Counter[str]] = defaultdict(Counter)
    for leaf, values in per_leaf.items():
        for key in _margins(leaf):
            cube[key].update(values)
    return {key: {f.name: values[f.name] for f in FIGURES} for key, values in cube.items()}


def _filled(stat: str, start: date, end: date) -> None:
    """Record the days as filled: called last, in the transaction that stored them."""
    now = timezone.now()
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    FillState.objects.bulk_create(
        [FillState(stat=stat, day=day, filled_at=now) for day in days],
        update_conflicts=True,
        unique_fields=["stat", "day"],
        update_fields=["filled_at"],
    )


def _set_based() -> bool:
    return connection.vendor == "postgresql"


@transaction.atomic
def segments_fill(*, day: date) -> int:
    """Compute `day` from the source tables and replace its stored rows; returns how many segments
    were published. Running it again gives the same rows; a crash half-way leaves the day as it was."""
    if _set_based():
        stored = fill_arrays.segments_fill_range(start=day, end=day)
        _filled(SEGMENTS, day, day)
        return stored
    return _segments_fill_day(day)


def _segments_fill_day(day: date) -> int:
    """The per-day fill, one figure's per-person counts at a time: SQLite's (the demo's) path, and
    the independent reference the range fill is tested against."""
    placed = placements_on(day)
    figures = segment_figures(day, placed)
    shown = publishable({key: values["headcount"] for key, values in figures.items()})
    departments = {d for d, loc, t in shown if loc == ALL and t == ALL and d != ALL}
    # With the company itself withheld (under 5 people), "other" would be everyone: store nothing.
    pairs = interaction_pairs(day, placed, departments) if (ALL, ALL, ALL) in shown else {}
    InteractionDay.objects.filter(day=day).delete()
    InteractionDay.objects.bulk_create(
        [
            InteractionDay(day=day, source=source, target=target, **{k: n[k] for k in INTERACTIONS})
            for (source, target), n in sorted(pairs.items())
        ]
    )
    SegmentDay.objects.filter(day=day).delete()
    ids = fill_arrays.segment_ids(shown)
    SegmentDay.objects.bulk_create(
        [
            SegmentDay(segment_id=ids[key], day=day, **figures[key])
            for key in sorted(shown, key=lambda key: (-key.count(ALL), key))
        ],
        batch_size=2000,
    )
    _filled(SEGMENTS, day, day)
    return len(shown)


BACKFILL_CHUNK_DAYS = 92  # one transaction per chunk: a killed backfill keeps the chunks it finished


def _runs(days: list[date], longest: int) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs of at most `longest` days."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and day == runs[-1][1] + timedelta(days=1) and (day - runs[-1][0]).days < longest:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def segments_backfill(*, start: date, end: date, missing_only: bool = False) -> int:
    """Fill every day from `start` to `end`; returns days filled. On PostgreSQL each chunk of up to
    BACKFILL_CHUNK_DAYS days is filled at once (analytics/fill_arrays.py) in its own transaction;
    elsewhere each day is its own transaction."""
    if not Placement.objects.exists():
        placements_record(day=end + timedelta(days=1))
    done = (
        set(FillState.objects.filter(stat=SEGMENTS, day__range=(start, end)).values_list("day", flat=True))
        if missing_only
        else set()
    )
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    days = [day for day in days if day not in done]
    if not _set_based():
        for day in days:
            groups_fill(day=day)
            segments_fill(day=day)
        return len(days)
    for first, last in _runs(days, BACKFILL_CHUNK_DAYS):
        with transaction.atomic():
            fill_sql.group_days_fill_range(start=first, end=last, dormant_days=DORMANT_DAYS)
            _filled(GROUPS, first, last)
            fill_arrays.segments_fill_range(start=first, end=last)
            _filled(SEGMENTS, first, last)
    if days:
        groups_fill(day=days[-1])  # each group's last post, as of the last day filled
    return len(days)


DORMANT_DAYS = 30


@transaction.atomic
def groups_fill(*, day: date) -> int:
    """Each group's last post up to the end of `day`, and the day's count of dormant groups (no post in
    DORMANT_DAYS, created before that). Replaces what was stored: reruns give the same rows."""
    end = day_bounds(day)[1]
    cutoff = end - timedelta(days=DORMANT_DAYS)
    groups = Community.objects.filter(created_at__lt=end).annotate(
        last=Max("posts__created_at", filter=Q(posts__created_at__lt=end, posts__removed_at__isnull=True))
    )
    rows, dormant = [], 0
    for g in groups.iterator(chunk_size=2000):
        rows.append(
            GroupActivity(community_id=g.pk, last_post_at=g.last, members=g.member_count, checked_on=day)
        )
        dormant += g.created_at < cutoff and (g.last is None or g.last < cutoff)
    GroupActivity.objects.all().delete()
    GroupActivity.objects.bulk_create(rows, batch_size=2000)
    GroupDay.objects.update_or_create(day=day, defaults={"groups": len(rows), "dormant": dormant})
    _filled(GROUPS, day, day)
    return dormant
