"""The set-based fill of the figures on PostgreSQL: a range of days in one pass per figure.

Where analytics/fill.py's per-day fill asks each figure for one day's counts per person, this reads
each figure's events once for the whole range and turns them into per-segment changes:

- where people sat: their placement spans cut at their tenure anniversaries, so each span is one leaf
  segment (department, location, tenure band) over a run of days (`fill_leaf`);
- a headcount is +1 where a span starts and -1 the day after it ends;
- a rolling figure ("active in the 7 days up to the day") is a person's covered days, merged into
  islands with lag/lead, cut by their spans, and counted the same way;
- a daily count is the events of each (leaf, day).

`GROUP BY CUBE` adds the leaves up into every margin, a running sum over the days turns changes into
each day's values, and the privacy rule (analytics/privacy.py, in Python) decides per day from the
headcounts alone which segments are stored. The caller holds a transaction: temporary tables go at
commit, and a fill killed half-way leaves the range as it was.
"""

from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from analytics.figures import FIGURES, Figure
from analytics.models import ALL, OTHER
from analytics.privacy import Key, publishable
from common.days import day_bounds

NAMES = tuple(f.name for f in FIGURES)
ROLLING = tuple(f for f in FIGURES if f.window)
DAILY = tuple(f for f in FIGURES if f.events and not f.window)


def _anniversary(years: int) -> str:
    """The first day on which someone who started on start_date has been here `years` years, by the
    rule of analytics.figures.tenure_band: a 29 February start turns over on 1 March."""
    later = f"(start_date + interval '{years} years')"
    return (
        f"({later}::date + CASE WHEN to_char(start_date, 'MM-DD') = '02-29'"
        f" AND to_char({later}, 'MM-DD') <> '02-29' THEN 1 ELSE 0 END)"
    )


LEAF_SPANS = f"""
CREATE TEMP TABLE fill_leaf ON COMMIT DROP AS
WITH span AS (
    SELECT profile_id, coalesce(department_id, -1) AS dep, coalesce(location_id, -1) AS loc, start_date,
           greatest(coalesce(valid_from, %(start)s), %(start)s) AS lo,
           least(coalesce(valid_to, %(end)s), %(end)s) AS hi,
           {_anniversary(1)} AS a1, {_anniversary(3)} AS a3, {_anniversary(10)} AS a10
    FROM analytics_placement
    WHERE (valid_from IS NULL OR valid_from <= %(end)s) AND (valid_to IS NULL OR valid_to >= %(start)s)
)
SELECT profile_id, dep, loc, -1 AS ten, lo, hi FROM span WHERE start_date IS NULL
UNION ALL
SELECT profile_id, dep, loc, band.ten,
       greatest(lo, coalesce(band.since, lo)) AS lo, least(hi, coalesce(band.until - 1, hi)) AS hi
FROM span CROSS JOIN LATERAL (
    VALUES (1, NULL::date, a1), (2, a1, a3), (3, a3, a10), (4, a10, NULL::date)
) AS band (ten, since, until)
WHERE start_date IS NOT NULL
  AND greatest(lo, coalesce(band.since, lo)) <= least(hi, coalesce(band.until - 1, hi))
"""

EVENT_TABLE = (
    "CREATE TEMP TABLE fill_event (dep integer, loc integer, ten integer, day date, "
    + ", ".join(f"{n} integer NOT NULL DEFAULT 0" for n in NAMES)
    + ") ON COMMIT DROP"
)

HEADCOUNT = """
INSERT INTO fill_event (dep, loc, ten, day, headcount)
SELECT dep, loc, ten, day, sum(n) FROM (
    SELECT dep, loc, ten, lo AS day, 1 AS n FROM fill_leaf
    UNION ALL
    SELECT dep, loc, ten, hi + 1, -1 FROM fill_leaf WHERE hi < %(end)s
) AS change GROUP BY 1, 2, 3, 4
"""

# Each (person, day) of the figure's events, counted where the person sat that day.
DAILY_COUNT = """
INSERT INTO fill_event (dep, loc, ten, day, {name})
SELECT l.dep, l.loc, l.ten, e.day, count(*)
FROM ({events}) AS e (profile_id, day)
JOIN fill_leaf l ON l.profile_id = e.profile_id AND e.day BETWEEN l.lo AND l.hi
GROUP BY 1, 2, 3, 4
"""

# A person counts on day d if they have an event in the `window` days up to d: the days each event
# covers, merged per person into islands (an island starts at an event with none in the `window`
# days before it, and ends `window` - 1 days after an event with none in the `window` days after).
# One sort of the events serves every window: only the rows at an island's edge for the narrowest
# window can be at an edge for a wider one.
EDGES = """
edge AS (
    SELECT profile_id, day, lag(day) OVER person AS prev, lead(day) OVER person AS next
    FROM ({events}) AS e (profile_id, day)
    WINDOW person AS (PARTITION BY profile_id ORDER BY day)
), flagged AS MATERIALIZED (
    SELECT profile_id, day, prev, next FROM edge
    WHERE prev IS NULL OR next IS NULL OR day - prev > {narrowest} OR next - day > {narrowest}
)"""

# Numbering each row by the islands started so far (one more sort of the few edge rows, shared by
# every window) gives each island as the first and last edge row of its number.
NUMBERED = """
numbered AS MATERIALIZED (
    SELECT profile_id, day, {numbers} FROM flagged
    WINDOW person AS (PARTITION BY profile_id ORDER BY day)
)"""

ISLANDS = """
island_{window} AS (
    SELECT profile_id, min(day) AS lo, max(day) + {window} - 1 AS hi
    FROM numbered GROUP BY profile_id, n_{window}
)"""


def _numbers(windows: list[int]) -> str:
    return ", ".join(
        f"count(*) FILTER (WHERE prev IS NULL OR day - prev > {w}) OVER person AS n_{w}" for w in windows
    )


# Then each island is cut by where the person sat, and counted +1 where it starts, -1 after it ends.
COVERED = """
covered_{window} AS (
    SELECT l.dep, l.loc, l.ten, greatest(i.lo, l.lo) AS lo, least(i.hi, l.hi) AS hi
    FROM island_{window} i JOIN fill_leaf l ON l.profile_id = i.profile_id AND i.lo <= l.hi AND i.hi >= l.lo
)"""

CHANGES = """
    SELECT dep, loc, ten, lo AS day, {plus} FROM covered_{window}
    UNION ALL
    SELECT dep, loc, ten, hi + 1, {minus} FROM covered_{window} WHERE hi < %(end)s"""


# One day: whoever's last event is recent enough, with no sort at all.
ROLLING_ONE_DAY = """
INSERT INTO fill_event (dep, loc, ten, day, {names})
SELECT l.dep, l.loc, l.ten, %(end)s::date, {counts}
FROM (SELECT profile_id, max(day) AS last FROM ({events}) AS e (profile_id, day) GROUP BY profile_id) AS p
JOIN fill_leaf l ON l.profile_id = p.profile_id AND %(end)s::date BETWEEN l.lo AND l.hi
GROUP BY 1, 2, 3
"""


def rolling_sql(figures: list[Figure], *, one_day: bool = False) -> str:
    """One statement for the rolling figures that share their events (one pass, one sort)."""
    events = figures[0].events
    windows = [int(f.window) for f in figures]
    if one_day:
        counts = ", ".join(f"count(*) FILTER (WHERE p.last > %(end)s::date - {w})" for w in windows)
        return ROLLING_ONE_DAY.format(names=", ".join(f.name for f in figures), counts=counts, events=events)

    def signed(sign: int, window: int) -> str:
        return ", ".join(
            f"{sign if w == window else 0} AS {f.name}" for w, f in zip(windows, figures, strict=True)
        )

    ctes = [EDGES.format(events=events, narrowest=min(windows)), NUMBERED.format(numbers=_numbers(windows))]
    ctes += [ISLANDS.format(window=w) for w in windows]
    ctes += [COVERED.format(window=w) for w in windows]
    changes = "\n    UNION ALL".join(
        CHANGES.format(window=w, plus=signed(1, w), minus=signed(-1, w)) for w in windows
    )
    names = ", ".join(f.name for f in figures)
    sums = ", ".join(f"sum({f.name})" for f in figures)
    return (
        f"INSERT INTO fill_event (dep, loc, ten, day, {names})\nWITH {', '.join(ctes)}\n"
        f"SELECT dep, loc, ten, day, {sums} FROM ({changes}\n) AS change GROUP BY 1, 2, 3, 4"
    )


CUBE = (
    "CREATE TEMP TABLE fill_cube ON COMMIT DROP AS SELECT coalesce(dep, 0) AS dep, coalesce(loc, 0) AS loc,"
    " coalesce(ten, 0) AS ten, day, "
    + ", ".join(f"sum({n})::integer AS {n}" for n in NAMES)
    + " FROM (SELECT dep, loc, ten, day, "
    + ", ".join(f"sum({n}) AS {n}" for n in NAMES)
    + " FROM fill_event GROUP BY dep, loc, ten, day) AS leaf_day GROUP BY day, CUBE (dep, loc, ten)"
)

SHOWN_TABLE = (
    "CREATE TEMP TABLE fill_shown (dep integer, loc integer, ten integer, lo date, hi date) ON COMMIT DROP"
)

_running = {f.name for f in FIGURES if f.events is None or f.window}
# The days each segment is shown, one row per day, for hash joins.
SHOWN_DAYS = """
CREATE TEMP TABLE fill_shown_day ON COMMIT DROP AS
SELECT dep, loc, ten, d::date AS day FROM fill_shown, generate_series(lo, hi, interval '1 day') AS d
"""

# Rows are written in the order the dashboard reads them: for each segment, its days together, and
# the margins (the rows with the most ALLs, which every breakdown reads) before the finer cells. A
# breakdown over a year then reads a few heap pages per segment instead of one page per row.
STORE_ORDER = (
    f"(g.dep = {ALL})::int + (g.loc = {ALL})::int + (g.ten = {ALL})::int DESC, g.dep, g.loc, g.ten, g.day"
)

# Every day of every segment shown at least once, so the running sums see each change.
STORE_SEGMENTS = f"""
INSERT INTO analytics_segmentday (day, department, location, tenure, {", ".join(NAMES)})
SELECT g.day, g.dep, g.loc, g.ten, {", ".join("g." + n for n in NAMES)} FROM (
    SELECT s.dep, s.loc, s.ten, d.day,
           {
    ", ".join(
        f"coalesce(sum(c.{n}) OVER days, 0) AS {n}" if n in _running else f"coalesce(c.{n}, 0) AS {n}"
        for n in NAMES
    )
}
    FROM (SELECT DISTINCT dep, loc, ten FROM fill_shown) s
    CROSS JOIN (
        SELECT d::date AS day FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
    ) AS d
    LEFT JOIN fill_cube c ON c.dep = s.dep AND c.loc = s.loc AND c.ten = s.ten AND c.day = d.day
    WINDOW days AS (PARTITION BY s.dep, s.loc, s.ten ORDER BY d.day)
) AS g
JOIN fill_shown_day f ON f.dep = g.dep AND f.loc = g.loc AND f.ten = g.ten AND f.day = g.day
ORDER BY {STORE_ORDER}
"""

# Replies (to the comment answered, or else to the post's author), reactions and kudos, from one
# person to another, each side counted in the department where they sat that day. A department not
# published that day is OTHER; a day whose company total is not published stores nothing.
STORE_INTERACTIONS = f"""
INSERT INTO analytics_interactionday (day, source, target, replies, reactions, kudos)
WITH interaction AS (
    SELECT c.author_id AS a, coalesce(pc.author_id, p.author_id) AS b,
           (c.created_at AT TIME ZONE %(tz)s)::date AS day, 1 AS replies, 0 AS reactions, 0 AS kudos
    FROM feed_comment c JOIN feed_post p ON p.id = c.post_id LEFT JOIN feed_comment pc ON pc.id = c.parent_id
    WHERE c.created_at >= %(start_at)s AND c.created_at < %(end_at)s
    UNION ALL
    SELECT r.profile_id, p.author_id, (r.created_at AT TIME ZONE %(tz)s)::date, 0, 1, 0
    FROM feed_reaction r JOIN feed_post p ON p.id = r.post_id
    WHERE r.created_at >= %(start_at)s AND r.created_at < %(end_at)s
    UNION ALL
    SELECT giver_id, recipient_id, (created_at AT TIME ZONE %(tz)s)::date, 0, 0, 1
    FROM recognition_kudosrecipient WHERE created_at >= %(start_at)s AND created_at < %(end_at)s
), department AS (
    SELECT dep, day FROM fill_shown_day WHERE loc = {ALL} AND ten = {ALL}
), placed AS (
    SELECT i.day, la.dep AS source, lb.dep AS target, i.replies, i.reactions, i.kudos
    FROM interaction i
    JOIN department company ON company.dep = {ALL} AND company.day = i.day
    JOIN fill_leaf la ON la.profile_id = i.a AND i.day BETWEEN la.lo AND la.hi
    JOIN fill_leaf lb ON lb.profile_id = i.b AND i.day BETWEEN lb.lo AND lb.hi
    WHERE i.a <> i.b
)
SELECT p.day, coalesce(ds.dep, {OTHER}) AS source, coalesce(dt.dep, {OTHER}) AS target,
       sum(p.replies), sum(p.reactions), sum(p.kudos)
FROM placed p
LEFT JOIN department ds ON ds.dep = p.source AND ds.day = p.day
LEFT JOIN department dt ON dt.dep = p.target AND dt.day = p.day
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""


DROP_TABLES = "DROP TABLE IF EXISTS fill_leaf, fill_event, fill_cube, fill_shown, fill_shown_day"


def _params(start: date, end: date, first: date | None = None) -> dict:
    first = start if first is None else first
    return {
        "start": start,
        "end": end,
        "first": first,
        "last": end,
        "first_at": day_bounds(first)[0],
        "last_at": day_bounds(end)[1],
        "start_at": day_bounds(start)[0],
        "end_at": day_bounds(end)[1],
        "tz": timezone.get_default_timezone_name(),
    }


def _shown_runs(cursor, start: date, end: date) -> list[tuple[int, int, int, date, date]]:
    """The privacy rule, day by day, on the headcounts the cube's changes add up to: the days each
    segment may be stored, as runs (a segment is usually shown, or not, for weeks on end)."""
    cursor.execute(
        "SELECT day, dep, loc, ten, headcount FROM fill_cube WHERE headcount <> 0 ORDER BY day",
    )
    changes: dict[date, list[tuple[Key, int]]] = {}
    for day, dep, loc, ten, n in cursor.fetchall():
        changes.setdefault(day, []).append(((dep, loc, ten), n))
    headcounts: dict[Key, int] = {}
    shown: set[Key] = set()
    since: dict[Key, date] = {}
    runs: list[tuple[int, int, int, date, date]] = []
    day = start
    while day <= end:
        changed = changes.get(day)
        if changed or day == start:
            for key, n in changed or ():
                headcounts[key] = headcounts.get(key, 0) + n
                if not headcounts[key]:
                    del headcounts[key]
            today = publishable(headcounts)
            for key in shown - today:
                runs.append((*key, since.pop(key), day - timedelta(days=1)))
            for key in today - shown:
                since[key] = day
            shown = today
        day += timedelta(days=1)
    runs += [(*key, first, end) for key, first in since.items()]
    return runs


def segments_fill_range(*, start: date, end: date) -> int:
    """Replace the stored segment and interaction rows of every day from `start` to `end`; returns the
    number of segment rows stored. Call it inside a transaction (the temporary tables go at commit)."""
    params = _params(start, end)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '128MB'")
        # ON COMMIT DROP cleans up after a fill of its own; a caller's longer transaction (two
        # fills in one, as in tests) would otherwise find the previous fill's tables.
        cursor.execute(DROP_TABLES)
        cursor.execute(LEAF_SPANS, params)
        cursor.execute("CREATE INDEX ON fill_leaf (profile_id)")
        cursor.execute("ANALYZE fill_leaf")
        cursor.execute(EVENT_TABLE)
        cursor.execute(HEADCOUNT, params)
        for figure in DAILY:
            cursor.execute(DAILY_COUNT.format(name=figure.name, events=figure.events), params)
        by_events: dict[str, list[Figure]] = {}
        for figure in ROLLING:
            by_events.setdefault(str(figure.events), []).append(figure)
        for figures in by_events.values():
            lead = timedelta(days=max(f.window for f in figures) - 1)
            sql = rolling_sql(figures, one_day=start == end)
            cursor.execute(sql, _params(start, end, first=start - lead))
        cursor.execute(CUBE)
        runs = _shown_runs(cursor, start, end)
        cursor.execute(SHOWN_TABLE)
        if runs:
            cursor.execute(
                "INSERT INTO fill_shown SELECT * FROM unnest(%s::integer[], %s::integer[], %s::integer[],"
                " %s::date[], %s::date[])",
                [list(column) for column in zip(*runs, strict=True)],
            )
        cursor.execute(SHOWN_DAYS)
        cursor.execute("ANALYZE fill_shown_day")
        cursor.execute("DELETE FROM analytics_segmentday WHERE day BETWEEN %(start)s AND %(end)s", params)
        cursor.execute(STORE_SEGMENTS, params)
        stored = cursor.rowcount
        cursor.execute("DELETE FROM analytics_interactionday WHERE day BETWEEN %(start)s AND %(end)s", params)
        # The planner expects a few interactions and probes the placements by index for each; at a
        # month's 155,000 hash joins are a quarter faster, and no slower for one day.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(STORE_INTERACTIONS, params)
        cursor.execute("SET LOCAL enable_nestloop = on")
        cursor.execute(DROP_TABLES)
    return stored


# Groups, and dormant groups (created DORMANT_DAYS or more before, with no post in the DORMANT_DAYS up
# to the day), per day: a group's posting days cover the DORMANT_DAYS from each, as islands.
GROUP_DAYS = """
INSERT INTO analytics_groupday (day, groups, dormant)
WITH grp AS (
    SELECT id, (created_at AT TIME ZONE %(tz)s)::date AS born
    FROM communities_community WHERE created_at < %(end_at)s
), {islands}, lively AS (
    SELECT greatest(i.lo, g.born + {window}, %(start)s) AS lo, least(i.hi, %(end)s) AS hi
    FROM island_{window} i JOIN grp g ON g.id = i.profile_id
), change AS (
    SELECT greatest(born, %(start)s) AS day, 1 AS groups, 0 AS dormant FROM grp
    UNION ALL
    SELECT greatest(born + {window}, %(start)s), 0, 1 FROM grp WHERE born + {window} <= %(end)s
    UNION ALL
    SELECT lo, 0, -1 FROM lively WHERE lo <= hi
    UNION ALL
    SELECT hi + 1, 0, 1 FROM lively WHERE lo <= hi AND hi < %(end)s
), per_day AS (
    SELECT day, sum(groups) AS groups, sum(dormant) AS dormant FROM change GROUP BY day
)
SELECT d.day::date, coalesce(sum(c.groups) OVER days, 0), coalesce(sum(c.dormant) OVER days, 0)
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d (day)
LEFT JOIN per_day c ON c.day = d.day::date
WINDOW days AS (ORDER BY d.day)
"""


def group_days_fill_range(*, start: date, end: date, dormant_days: int) -> None:
    """Replace the stored count of groups and dormant groups of every day from `start` to `end`."""
    posts = (
        "SELECT community_id, (created_at AT TIME ZONE %(tz)s)::date FROM feed_post"
        " WHERE community_id IS NOT NULL AND removed_at IS NULL"
        " AND created_at >= %(first_at)s AND created_at < %(last_at)s"
    )
    islands = ", ".join(
        [
            EDGES.format(events=posts, narrowest=dormant_days),
            NUMBERED.format(numbers=_numbers([dormant_days])),
            ISLANDS.format(window=dormant_days),
        ]
    )
    sql = GROUP_DAYS.format(islands=islands, window=dormant_days)
    params = _params(start, end, first=start - timedelta(days=dormant_days - 1))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_groupday WHERE day BETWEEN %(start)s AND %(end)s", params)
        cursor.execute(sql, params)
