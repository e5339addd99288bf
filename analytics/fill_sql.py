"""The set-based fill of the groups' figures on PostgreSQL: how many groups there were, and how many
were dormant, on every day of a range, in one statement (analytics/fill_arrays.py fills the people's
figures). A group's posting days are merged into islands with lag/lead, so a year costs one sort of
its posts, not a query per day."""

from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from common.days import day_bounds


def range_params(start: date, end: date, first: date | None = None) -> dict:
    """The parameters of a fill's statements: the range, its first and last instants in the company's
    time zone, and `first`, the earliest day whose events a rolling figure needs."""
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


# A group counts as lively on day d if it has a post in the `window` days up to d: the days each post
# covers, merged per group into islands (an island starts at a post with none in the `window` days
# before it, and ends `window` - 1 days after a post with none in the `window` days after).
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
    params = range_params(start, end, first=start - timedelta(days=dormant_days - 1))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_groupday WHERE day BETWEEN %(start)s AND %(end)s", params)
        cursor.execute(sql, params)
