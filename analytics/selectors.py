"""Reads for the adoption dashboard and its CSV: stored SegmentDay rows only, in a fixed few queries
whatever the date range. The privacy rule was applied when the rows were stored (analytics/privacy.py);
over a range, a segment is shown only if it was published on every day its filter's segment was, and
the rest of the filter's segment is one "other" row."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from analytics.figures import FIGURES, TENURE_LABELS, OverRange
from analytics.fill import DORMANT_DAYS, SEGMENTS
from analytics.models import (
    ALL,
    NONE,
    OTHER,
    FillState,
    GroupAction,
    GroupActivity,
    GroupDay,
    InteractionDay,
    Objective,
    SegmentDay,
)
from analytics.models import Segment as StoredSegment
from feed.models import Post
from profiles.models import Department, Location

AXES = ("department", "location", "tenure")
COMEBACK_DAYS = 30  # a group acted on "came back" if someone posts in it within this many days


@dataclass(frozen=True)
class Segment:
    """The dashboard's filter: a department, location and tenure band, each possibly ALL."""

    department: int = ALL
    location: int = ALL
    tenure: int = ALL

    def as_filter(self) -> dict[str, int]:
        """The stored rows of this segment."""
        return {
            "segment__department": self.department,
            "segment__location": self.location,
            "segment__tenure": self.tenure,
        }


@dataclass
class Row:
    """One line of a table: a segment's figures over the range (None where withheld)."""

    key: int | str
    label: str
    figures: dict[str, float]

    def share(self, name: str, of: str = "headcount") -> float | None:
        whole = self.figures.get(of)
        return None if not whole else self.figures[name] / whole


@dataclass
class Dashboard:
    start: date
    end: date
    segment: Segment
    filled_through: date | None
    days: list[dict] = field(default_factory=list)  # the segment's stored row per published day
    total: Row | None = None  # the segment over the range; None when it is too small to show
    breakdowns: dict[str, list[Row]] = field(default_factory=dict)


def labels() -> dict[str, dict[int, str]]:
    """Names for every axis value: departments and locations that exist now, and the tenure bands."""
    return {
        "department": {NONE: "No department", **dict(Department.objects.values_list("pk", "name"))},
        "location": {NONE: "No location", **dict(Location.objects.values_list("pk", "name"))},
        "tenure": dict(TENURE_LABELS),
    }


def label_for(names: dict[int, str], axis: str, key: int) -> str:
    # A department deleted since: its history keeps its figures under its old id.
    return names.get(key, f"{axis.capitalize()} #{key} (no longer exists)")


def _over_range(sums: dict[str, int], last: dict[str, int], days: int) -> dict[str, float]:
    result: dict[str, float] = {}
    for figure in FIGURES:
        if figure.over_range is OverRange.SUM:
            result[figure.name] = sums[figure.name]
        elif figure.over_range is OverRange.MEAN:
            result[figure.name] = sums[figure.name] / days if days else 0
        else:
            result[figure.name] = last[figure.name]
    return result


def filled_through() -> date | None:
    return FillState.objects.filter(stat=SEGMENTS).order_by("-day").values_list("day", flat=True).first()


def _breakdown_rows(*, axis: str, fixed: dict[str, int], days: list[date], last_day: date) -> list[dict]:
    """Each value of `axis` (the others fixed) summed over `days`, with its value on `last_day`.

    Plain SQL, portable to SQLite: building the same query from 28 ORM aggregate expressions cost
    more time in Python than PostgreSQL took to run it. Column and axis names come from FIGURES and
    AXES, never from the request. The segments come from their small table, each one's days from
    the (segment, day) index."""
    names_of = [f.name for f in FIGURES]
    table, segments = SegmentDay._meta.db_table, StoredSegment._meta.db_table
    columns = ", ".join(
        [f"SUM(s.{n})" for n in names_of]
        + [f"SUM(CASE WHEN s.day = %s THEN s.{n} ELSE 0 END)" for n in names_of]
    )
    # Contiguous days (the usual case) are a range; otherwise the segment's days are listed.
    contiguous = (days[-1] - days[0]).days + 1 == len(days)
    day_filter = "s.day BETWEEN %s AND %s" if contiguous else f"s.day IN ({', '.join(['%s'] * len(days))})"
    day_params: list = [days[0], days[-1]] if contiguous else list(days)
    where = " AND ".join([*[f"g.{a} = %s" for a in fixed], f"g.{axis} <> %s"])
    if connection.vendor == "postgresql":
        # One segment per value of the axis, each summed in a lateral subquery: its days come from
        # the (segment, day) index whatever the range (a plain join, planned on the table's
        # statistics, scans the whole table for a year's range instead: 600 ms against 20).
        sql = (
            f"SELECT g.{axis}, x.* FROM {segments} g CROSS JOIN LATERAL ("
            f"SELECT COUNT(*) AS n_days, {columns} FROM {table} s WHERE s.segment_id = g.id AND {day_filter}"
            f") AS x WHERE {where} AND x.n_days > 0 ORDER BY g.{axis}"
        )
    else:  # SQLite (the demo) has no LATERAL
        sql = (
            f"SELECT g.{axis}, COUNT(*), {columns} FROM {table} s JOIN {segments} g ON g.id = s.segment_id"
            f" WHERE {day_filter} AND {where} GROUP BY g.{axis} ORDER BY g.{axis}"
        )
    params = [last_day] * len(names_of) + day_params + list(fixed.values()) + [ALL]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    n = len(names_of)
    return [
        {
            axis: row[0],
            "n_days": row[1],
            **{f"sum_{name}": row[2 + i] or 0 for i, name in enumerate(names_of)},
            **{f"last_{name}": row[2 + n + i] or 0 for i, name in enumerate(names_of)},
        }
        for row in found
    ]


def dashboard(*, start: date, end: date, segment: Segment, names: dict[str, dict[int, str]]) -> Dashboard:
    """The segment's trend and its breakdown along each axis it does not fix: 1 + 1 + 3 queries."""
    result = Dashboard(start=start, end=end, segment=segment, filled_through=filled_through())
    names_of = [f.name for f in FIGURES]
    result.days = list(
        SegmentDay.objects.filter(day__range=(start, end), **segment.as_filter())
        .order_by("day")
        .values("day", *names_of)
    )
    if not result.days:
        return result
    n_days, last_day = len(result.days), result.days[-1]["day"]
    sums = {name: sum(d[name] for d in result.days) for name in names_of}
    result.total = Row(key=ALL, label="All", figures=_over_range(sums, result.days[-1], n_days))
    # The days the segment itself was published: a breakdown adds up those days only (passed as
    # values rather than a subquery, which the planner may loop on).
    segment_days = [d["day"] for d in result.days]

    for axis in AXES:
        if getattr(segment, axis) != ALL:
            continue  # fixed by the filter: its breakdown is the segment itself
        fixed = {a: getattr(segment, a) for a in AXES if a != axis}
        rows = _breakdown_rows(axis=axis, fixed=fixed, days=segment_days, last_day=last_day)
        shown: list[Row] = []
        rest_sums, rest_last = dict(sums), dict(result.days[-1])
        for row in rows:
            if row["n_days"] != n_days:
                continue  # withheld on some day of the range: it stays in "other"
            row_sums = {n: row[f"sum_{n}"] for n in names_of}
            row_last = {n: row[f"last_{n}"] for n in names_of}
            for n in names_of:
                rest_sums[n] -= row_sums[n]
                rest_last[n] -= row_last[n]
            key = row[axis]
            shown.append(
                Row(
                    key=key,
                    label=label_for(names[axis], axis, key),
                    figures=_over_range(row_sums, row_last, n_days),
                )
            )
        shown.sort(key=lambda r: r.label.lower())
        if any(rest_sums[n] or rest_last[n] for n in names_of):
            shown.append(
                Row(
                    key=OTHER,
                    label="Other (groups under 5 people)",
                    figures=_over_range(rest_sums, rest_last, n_days),
                )
            )
        result.breakdowns[axis] = shown
    return result


@dataclass
class Silos:
    """Interactions between departments over a range, and each department's silo index."""

    start: date
    end: date
    departments: list[tuple[int | str, str]]  # (key, label), OTHER last
    matrix: dict[tuple[int | str, int | str], int]  # (from, to) -> interactions
    silo: list[dict[str, Any]]  # per department: inside, touching, index (share of its interactions inside)


def silos(*, start: date, end: date, names: dict[str, dict[int, str]]) -> Silos:
    """Two queries: which departments were shown on every filled day of the range, and the pairs."""
    days_shown = dict(
        SegmentDay.objects.filter(day__range=(start, end), segment__location=ALL, segment__tenure=ALL)
        .values("segment__department")
        .annotate(n=Count("day"))
        .order_by()
        .values_list("segment__department", "n")
    )
    n_days = days_shown.pop(ALL, 0)
    shown = {d for d, n in days_shown.items() if n == n_days}
    sums = (
        InteractionDay.objects.filter(day__range=(start, end))
        .values("source", "target")
        .annotate(n=Sum(F("replies") + F("reactions") + F("kudos")))
        .order_by()
    )
    matrix: dict[tuple[int | str, int | str], int] = {}
    for row in sums:
        # A department withheld on any day of the range joins "other" for the whole range.
        source = row["source"] if row["source"] in shown else OTHER
        target = row["target"] if row["target"] in shown else OTHER
        matrix[(source, target)] = matrix.get((source, target), 0) + row["n"]
    departments: list[tuple[int | str, str]] = sorted(
        ((d, label_for(names["department"], "department", d)) for d in shown), key=lambda kv: kv[1].lower()
    )
    if any(OTHER in pair for pair in matrix):
        departments.append((OTHER, "Other (groups under 5 people)"))
    silo: list[dict[str, Any]] = []
    for key, label in departments:
        if key == OTHER:
            continue
        inside = matrix.get((key, key), 0)
        touching = sum(n for (a, b), n in matrix.items() if a == key or b == key)
        silo.append(
            {"key": key, "label": label, "inside": inside, "touching": touching,
             "index": inside / touching if touching else None}
        )  # fmt: skip
    silo.sort(key=lambda r: (-(r["index"] or 0.0), r["label"]))
    return Silos(start=start, end=end, departments=departments, matrix=matrix, silo=silo)


# --- Objectives and dormant groups ------------------------------------------------------------------


def objectives_progress(*, names: dict[str, dict[int, str]]) -> list[dict[str, Any]]:
    """Every objective with its latest stored value (three queries whatever their number)."""
    objectives = list(Objective.objects.select_related("created_by").order_by("due", "id")[:100])
    latest = filled_through()
    rows = {}
    if latest and objectives:
        rows = {
            r["segment__department"]: r
            for r in SegmentDay.objects.filter(
                day=latest,
                segment__location=ALL,
                segment__tenure=ALL,
                segment__department__in={o.department for o in objectives},
            ).values("segment__department", "headcount", *Objective.Measure.values)
        }
    result = []
    for o in objectives:
        row = rows.get(o.department)
        current = 100 * row[o.measure] / row["headcount"] if row and row["headcount"] else None
        result.append(
            {
                "objective": o,
                "segment": "Whole company"
                if o.department == ALL
                else label_for(names["department"], "department", o.department),
                "current": current,
                "progress": min(100.0, 100 * current / float(o.target_percent))
                if current is not None
                else None,
                "reached": current is not None and current >= float(o.target_percent),
                "as_of": latest,
            }
        )
    return result


@dataclass
class DormantGroups:
    groups: list[dict[str, Any]]
    trend: list[GroupDay]
    actions: list[dict[str, Any]]
    checked_on: date | None


def dormant_groups(*, limit: int = 100) -> DormantGroups:
    """Groups with no post in DORMANT_DAYS (as of the nightly fill), the trend of their number, and the
    playbook's recent actions with whether the group came back within COMEBACK_DAYS: four queries."""
    cutoff = timezone.now() - timedelta(days=DORMANT_DAYS)
    activity = list(
        GroupActivity.objects.filter(Q(last_post_at__lt=cutoff) | Q(last_post_at__isnull=True))
        .filter(community__created_at__lt=cutoff)
        .select_related("community")
        .order_by(F("last_post_at").asc(nulls_first=True), "community_id")[:limit]
    )
    trend = list(GroupDay.objects.order_by("-day")[:90])[::-1]
    since = timezone.now() - timedelta(days=90)
    window = timedelta(days=COMEBACK_DAYS)
    came_back = Post.objects.filter(
        community=OuterRef("community"),
        created_at__gt=OuterRef("taken_at"),
        created_at__lte=OuterRef("taken_at") + window,
        removed_at__isnull=True,
    )
    actions = []
    last_action: dict[int, GroupAction] = {}
    for action in (
        GroupAction.objects.filter(taken_at__gte=since)
        .select_related("community", "merge_into", "taken_by")
        .annotate(came_back=Exists(came_back))
        .order_by("-taken_at", "-id")[:200]
    ):
        last_action.setdefault(action.community_id, action)
        open_until = action.taken_at + window
        outcome = "came back" if action.came_back else (
            "not yet" if open_until > timezone.now() else "did not come back"
        )  # fmt: skip
        actions.append({"action": action, "outcome": outcome, "open_until": open_until})
    groups = [
        {"community": a.community, "last_post_at": a.last_post_at, "members": a.members,
         "last_action": last_action.get(a.community_id)}
        for a in activity
    ]  # fmt: skip
    checked = activity[0].checked_on if activity else (trend[-1].day if trend else None)
    return DormantGroups(groups=groups, trend=trend, actions=actions, checked_on=checked)
