"""The fill of the figures on PostgreSQL for a range of days at once, in arrays (numpy).

PostgreSQL hands over each figure's events as (person, day) pairs through a binary COPY, and the rest
is array arithmetic on a grid of people x days:

- where people sat: their placement spans, cut at their tenure anniversaries, give each person's leaf
  segment (department, location, tenure band) on each day of the range, or none;
- a daily figure is the events of each (leaf, day), counted with one `bincount`;
- a rolling figure ("active in the 7 days up to the day") is a running count of each person's event
  days along the grid: a person counts on a day when the count grew over the window;
- the margins (every coordinate also as ALL) are sums of the leaf cube along its axes;
- the privacy rule (analytics/privacy.py) decides per day, from the headcounts, which segments are
  stored, and a binary COPY stores them (and the day's department-to-department interactions).

It gives exactly the rows of the per-day fill in analytics/fill.py (tests/analytics/
test_fill_set_based.py compares them on random companies); a year of a 100,000-person company is
seconds of arithmetic instead of minutes of joins and sorts. The caller holds the transaction.
"""

import io
import struct
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy as np
from django.db import connection

from analytics.figures import FIGURES, Figure
from analytics.fill_sql import range_params
from analytics.models import ALL, OTHER, InteractionDay, Segment, SegmentDay
from analytics.privacy import Key, Lines

TENURES = (-1, 1, 2, 3, 4)  # a leaf's tenure band: unknown start date, then the four bands
EPOCH = date(2000, 1, 1)  # PostgreSQL's binary dates count days from here
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
COPY_TRAILER = struct.pack(">h", -1)


def _anniversary(years: int) -> str:
    """The first day on which someone who started on start_date has been here `years` years, by the
    rule of analytics.figures.tenure_band: a 29 February start turns over on 1 March."""
    later = f"(start_date + interval '{years} years')"
    return (
        f"({later}::date + CASE WHEN to_char(start_date, 'MM-DD') = '02-29'"
        f" AND to_char({later}, 'MM-DD') <> '02-29' THEN 1 ELSE 0 END)"
    )


# Each placement span that meets the range, as day offsets from its start: the days it covers and
# the days its tenure band turns over (an unknown start date has none).
SPANS = f"""
SELECT profile_id::int4, coalesce(department_id, -1), coalesce(location_id, -1),
       (greatest(coalesce(valid_from, %(start)s), %(start)s) - %(start)s)::int4,
       (least(coalesce(valid_to, %(end)s), %(end)s) - %(start)s)::int4,
       (start_date IS NULL)::int4,
       coalesce({_anniversary(1)} - %(start)s, 0)::int4,
       coalesce({_anniversary(3)} - %(start)s, 0)::int4,
       coalesce({_anniversary(10)} - %(start)s, 0)::int4
FROM analytics_placement
WHERE (valid_from IS NULL OR valid_from <= %(end)s) AND (valid_to IS NULL OR valid_to >= %(start)s)
ORDER BY profile_id, 4
"""

# Replies (to the comment answered, or else to the post's author), reactions and kudos of the range:
# (from whom, to whom, day offset, kind).
INTERACTIONS = """
SELECT * FROM (
SELECT c.author_id::int4, coalesce(pc.author_id, p.author_id)::int4,
       ((c.created_at AT TIME ZONE %(tz)s)::date - %(start)s)::int4, 0
FROM feed_comment c JOIN feed_post p ON p.id = c.post_id LEFT JOIN feed_comment pc ON pc.id = c.parent_id
WHERE c.created_at >= %(start_at)s AND c.created_at < %(end_at)s
UNION ALL
SELECT r.profile_id::int4, p.author_id::int4, ((r.created_at AT TIME ZONE %(tz)s)::date - %(start)s)::int4, 1
FROM feed_reaction r JOIN feed_post p ON p.id = r.post_id
WHERE r.created_at >= %(start_at)s AND r.created_at < %(end_at)s
UNION ALL
SELECT giver_id::int4, recipient_id::int4, ((created_at AT TIME ZONE %(tz)s)::date - %(start)s)::int4, 2
FROM recognition_kudosrecipient WHERE created_at >= %(start_at)s AND created_at < %(end_at)s
) AS i (a, b, day, kind) WHERE a IS NOT NULL AND b IS NOT NULL
"""
INTERACTION_KINDS = ("replies", "reactions", "kudos")


def _fetch(cursor, sql: str, params: dict, columns: int) -> np.ndarray:
    """The rows of a query giving `columns` non-null int4 columns, as an (n, columns) array: a binary
    COPY, read straight into an array (millions of rows never become Python objects)."""
    buffer = io.BytesIO()
    query = cursor.mogrify(sql, params).decode()
    cursor.copy_expert(f"COPY ({query}) TO STDOUT (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    extension = struct.unpack(">i", data[15:19])[0]
    body = data[19 + extension : len(data) - 2]
    # Each row: a field count, then a length and a big-endian int4 per column.
    fields = [("n", ">i2")] + [f for i in range(columns) for f in ((f"l{i}", ">i4"), (f"v{i}", ">i4"))]
    rows = np.frombuffer(body, dtype=np.dtype(fields))
    out = np.empty((len(rows), columns), dtype=np.int32)
    for i in range(columns):
        out[:, i] = rows[f"v{i}"]
    return out


def _store(cursor, table: str, columns: Sequence[tuple[str, str]], values: Sequence[np.ndarray]) -> None:
    """A binary COPY of equal-length arrays into `table`; each column is (name, ">i4" or ">i2")."""
    fields = [("n", ">i2")] + [
        f for i, (_, kind) in enumerate(columns) for f in ((f"l{i}", ">i4"), (f"v{i}", kind))
    ]
    rows = np.empty(len(values[0]), dtype=np.dtype(fields))
    rows["n"] = len(columns)
    for i, ((_, kind), column) in enumerate(zip(columns, values, strict=True)):
        rows[f"l{i}"] = np.dtype(kind).itemsize
        rows[f"v{i}"] = column
    names = ", ".join(name for name, _ in columns)
    data = io.BytesIO(COPY_HEADER + rows.tobytes() + COPY_TRAILER)
    cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN (FORMAT binary)", data)


class Grid:
    """Where each person sat on each day of the range: `leaf[day, person]` is a leaf number, or -1
    where the person was not placed that day. Leaf numbers run over departments x locations x
    TENURES, with `departments` and `locations` the ids met in the spans (-1: none)."""

    def __init__(self, spans: np.ndarray, days: int):
        (profile, department, location, lo, hi, unknown, a1, a3, a10) = spans.T
        self.days = days
        self.people, person = np.unique(profile, return_inverse=True)
        self.departments, dep = np.unique(department, return_inverse=True)
        self.locations, loc = np.unique(location, return_inverse=True)
        self.leaves = len(self.departments) * len(self.locations) * len(TENURES)
        base = (dep * len(self.locations) + loc) * len(TENURES)
        known = unknown == 0

        def band(day: np.ndarray) -> np.ndarray:
            return np.where(known, 1 + (day >= a1) + (day >= a3) + (day >= a10), 0)

        # Each person's leaf (plus one, 0 for nowhere) as its changes over the days, added up: a span
        # starts with its leaf, moves up a band on each anniversary inside it, and ends. A person's
        # spans never overlap, so no two of their changes fall on the same day but an end and a start.
        change = np.zeros((days + 1, len(self.people)), dtype=np.int32)
        np.add.at(change, (lo, person), base + band(lo) + 1)
        np.add.at(change, (hi + 1, person), -(base + band(hi) + 1))
        for anniversary in (a1, a3, a10):
            turns = known & (anniversary > lo) & (anniversary <= hi)
            np.add.at(change, (anniversary[turns], person[turns]), 1)
        self.leaf = np.cumsum(change[:days], axis=0, dtype=np.int32)
        self.leaf -= 1
        lookup_size = int(self.people[-1]) + 1
        self._lookup = None
        if lookup_size <= 8 * len(self.people) + 1_000_000:
            self._lookup = np.full(lookup_size, -1, dtype=np.int32)
            self._lookup[self.people] = np.arange(len(self.people), dtype=np.int32)

    def person(self, profile_ids: np.ndarray) -> np.ndarray:
        """Column of each profile id in the grid, -1 for someone placed nowhere in the range."""
        if self._lookup is not None:
            inside = (profile_ids >= 0) & (profile_ids < len(self._lookup))
            return np.where(inside, self._lookup[np.where(inside, profile_ids, 0)], -1)
        at = np.searchsorted(self.people, profile_ids)
        found = at < len(self.people)
        found[found] = self.people[at[found]] == profile_ids[found]
        return np.where(found, at, -1)

    def count(self, selected: np.ndarray | None = None) -> np.ndarray:
        """Per (leaf, day), how many placed people a (days x people) boolean grid selects (all of
        them without one)."""
        counts = np.empty((self.leaves, self.days), dtype=np.int64)
        for day in range(self.days):
            leaf = self.leaf[day] if selected is None else self.leaf[day][selected[day]]
            counts[:, day] = np.bincount(leaf + 1, minlength=self.leaves + 1)[1:]
        return counts

    def count_events(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Per (leaf, day), the events of people placed that day (day offsets outside are dropped)."""
        keep = (person >= 0) & (day >= 0) & (day < self.days)
        day = day[keep]
        leaf = self.leaf[day, person[keep]]
        placed = leaf >= 0
        cells = leaf[placed].astype(np.int64) * self.days + day[placed]
        return np.bincount(cells, minlength=self.leaves * self.days).reshape(self.leaves, self.days)


def _rolling(grid: Grid, person: np.ndarray, day: np.ndarray, lead: int, window: int) -> np.ndarray:
    """Per (leaf, day), the placed people with an event in the `window` days up to the day; event
    days are offsets from the range's start, as early as -`lead`."""
    keep = (person >= 0) & (day >= -lead) & (day < grid.days)
    # Each person's count of event days so far, day by day (row 0: none yet).
    seen = np.zeros((grid.days + lead + 1, len(grid.people)), dtype=np.int16)
    seen[day[keep] + lead + 1, person[keep]] = 1
    np.cumsum(seen, axis=0, dtype=np.int16, out=seen)
    # Events up to day d minus events up to day d - window.
    upto = seen[lead + 1 :]
    before = seen[lead + 1 - window : lead + 1 - window + grid.days]
    return grid.count(upto > before)


def _figure_values(cursor, grid: Grid, start: date, end: date) -> dict[str, np.ndarray]:
    """Every figure per (leaf, day), as a (leaves x days) array."""
    values = {}
    by_events: dict[str, list[Figure]] = {}
    for figure in FIGURES:
        if figure.events is None:
            values[figure.name] = grid.count()
        else:
            by_events.setdefault(figure.events, []).append(figure)
    for events, figures in by_events.items():
        lead = max(f.window for f in figures) - 1 if any(f.window for f in figures) else 0
        found = _fetch(
            cursor,
            f"SELECT profile_id::int4, (day - %(start)s)::int4 FROM ({events}) AS e (profile_id, day)"
            " WHERE profile_id IS NOT NULL",
            range_params(start, end, first=start - timedelta(days=lead)),
            2,
        )
        person, day = grid.person(found[:, 0]), found[:, 1]
        for figure in figures:
            if figure.window:
                values[figure.name] = _rolling(grid, person, day, lead, figure.window)
            else:
                values[figure.name] = grid.count_events(person, day)
    return values


def _cube(grid: Grid, leaf_values: np.ndarray) -> np.ndarray:
    """A (leaves x days) array as the cube (departments+1) x (locations+1) x (TENURES+1) x days,
    index 0 of each axis being its margin (ALL)."""
    shape = (len(grid.departments), len(grid.locations), len(TENURES), grid.days)
    cube = np.zeros((shape[0] + 1, shape[1] + 1, shape[2] + 1, grid.days), dtype=np.int64)
    cube[1:, 1:, 1:] = leaf_values.reshape(shape)
    # Each axis's margin in turn, including the margins already summed: every combination of ALLs.
    cube[0] = cube[1:].sum(axis=0)
    cube[:, 0] = cube[:, 1:].sum(axis=1)
    cube[:, :, 0] = cube[:, :, 1:].sum(axis=2)
    return cube.reshape(-1, grid.days)


def _axes(grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The department, location and tenure of each row of the cube (ALL at each axis's index 0)."""
    keys = [[ALL, *grid.departments.tolist()], [ALL, *grid.locations.tolist()], [ALL, *TENURES]]
    dep, loc, ten = np.meshgrid(*[np.asarray(k, dtype=np.int64) for k in keys], indexing="ij")
    return dep.ravel(), loc.ravel(), ten.ravel()


def _shown(headcount: np.ndarray, keys: list[Key]) -> np.ndarray:
    """The privacy rule, day by day, on the cube's headcounts: which rows may be stored each day.
    Only a day whose headcounts differ from the day before needs the rule run again."""
    shown = np.zeros(headcount.shape, dtype=bool)
    lines = Lines(keys)
    for day in range(headcount.shape[1]):
        if day and np.array_equal(headcount[:, day], headcount[:, day - 1]):
            shown[:, day] = shown[:, day - 1]
        else:
            shown[:, day] = lines.publishable(headcount[:, day])
    return shown


SEGMENT_COLUMNS = [("segment_id", ">i4"), ("day", ">i4")] + [(f.name, ">i4") for f in FIGURES]


def segment_ids(keys: Iterable[Key]) -> dict[Key, int]:
    """The id of each segment, added where it is new (by the range fill and the per-day fill alike)."""
    wanted = set(keys)

    def known() -> dict[Key, int]:
        found = Segment.objects.values_list("pk", "department", "location", "tenure")
        return {(d, loc, t): pk for pk, d, loc, t in found.iterator(chunk_size=10_000)}

    ids = known()
    if not wanted <= ids.keys():
        # A fill adding the same segment at the same time: one insert is ignored, both read it back.
        Segment.objects.bulk_create(
            [Segment(department=d, location=loc, tenure=t) for d, loc, t in sorted(wanted - ids.keys())],
            ignore_conflicts=True,
        )
        ids = known()
    return {key: ids[key] for key in wanted}


def segments_fill_range(*, start: date, end: date) -> int:
    """Replace the stored segment and interaction rows of every day from `start` to `end`; returns the
    number of segment rows stored. Call it inside a transaction."""
    days = (end - start).days + 1
    params = range_params(start, end)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_segmentday WHERE day BETWEEN %(start)s AND %(end)s", params)
        cursor.execute("DELETE FROM analytics_interactionday WHERE day BETWEEN %(start)s AND %(end)s", params)
        spans = _fetch(cursor, SPANS, params, 9)
        if not len(spans):
            return 0  # nobody placed: nothing to count
        grid = Grid(spans, days)
        leaf_values = _figure_values(cursor, grid, start, end)
        cube = {name: _cube(grid, v) for name, v in leaf_values.items()}
        dep, loc, ten = _axes(grid)
        keys = list(zip(dep.tolist(), loc.tolist(), ten.tolist(), strict=True))
        shown = _shown(cube["headcount"], keys)

        row, day = np.nonzero(shown)
        # Stored in the order the dashboard reads them: for each segment its days together, the
        # margins (most ALLs, read by every breakdown) first.
        alls = (dep == ALL).astype(np.int8) + (loc == ALL) + (ten == ALL)
        order = np.lexsort((day, ten[row], loc[row], dep[row], -alls[row]))
        row, day = row[order], day[order]
        segment = np.zeros(len(keys), dtype=np.int64)
        stored = np.unique(row).tolist()
        ids = segment_ids(keys[r] for r in stored)
        segment[stored] = [ids[keys[r]] for r in stored]
        first = (start - EPOCH).days
        _store(
            cursor,
            SegmentDay._meta.db_table,
            SEGMENT_COLUMNS,
            [segment[row], day + first] + [cube[f.name][row, day] for f in FIGURES],
        )
        _store_interactions(cursor, grid, shown, keys, params, first)
    return len(row)


def _store_interactions(cursor, grid: Grid, shown: np.ndarray, keys: list[Key], params: dict, first: int):
    """Interactions per (day, from department, to department), each person in the department where
    they sat that day; a department not published that day is OTHER; a day whose company total is
    not published stores nothing."""
    found = _fetch(cursor, INTERACTIONS, params, 4)
    a, b = grid.person(found[:, 0]), grid.person(found[:, 1])
    day, kind = found[:, 2], found[:, 3]
    keep = (a >= 0) & (b >= 0) & (found[:, 0] != found[:, 1]) & (day >= 0) & (day < grid.days)
    a, b, day, kind = a[keep], b[keep], day[keep], kind[keep]
    leaf_a, leaf_b = grid.leaf[day, a], grid.leaf[day, b]
    keep = (leaf_a >= 0) & (leaf_b >= 0)
    leaf_a, leaf_b, day, kind = leaf_a[keep], leaf_b[keep], day[keep], kind[keep]
    per_department = len(grid.locations) * len(TENURES)
    # Departments published on each day (at every location and tenure), and the company.
    row_of = {key: i for i, key in enumerate(keys)}
    departments = len(grid.departments)
    published = np.zeros((departments, grid.days), dtype=bool)
    for i, d in enumerate(grid.departments.tolist()):
        published[i] = shown[row_of[(d, ALL, ALL)]]
    company = shown[row_of[(ALL, ALL, ALL)]]
    # Department index d as d + 1, OTHER as 0.
    source = np.where(published[leaf_a // per_department, day], leaf_a // per_department + 1, 0)
    target = np.where(published[leaf_b // per_department, day], leaf_b // per_department + 1, 0)
    keep = company[day]
    sides = departments + 1
    cell = ((day[keep].astype(np.int64) * sides + source[keep]) * sides + target[keep]) * 3 + kind[keep]
    counts = np.bincount(cell, minlength=grid.days * sides * sides * 3).reshape(grid.days, sides, sides, 3)
    day, source, target = np.nonzero(counts.sum(axis=3))
    ids = np.concatenate(([OTHER], grid.departments))
    values = counts[day, source, target]
    # In (day, source, target) order, OTHER first: the order np.nonzero gives, as OTHER < any id.
    order = np.lexsort((ids[target], ids[source], day))
    day, source, target, values = day[order], source[order], target[order], values[order]
    _store(
        cursor,
        InteractionDay._meta.db_table,
        [("day", ">i4"), ("source", ">i4"), ("target", ">i4")] + [(k, ">i4") for k in INTERACTION_KINDS],
        [day + first, ids[source], ids[target], *values.T],
    )
