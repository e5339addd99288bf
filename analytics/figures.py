"""The adoption figures, declared as data: what each counts, how it reads over a date range, and the
query that collects it per person for one day. The fill (analytics/fill.py), the dashboard and the CSV
all loop over FIGURES; adding a figure is a column on SegmentDay and an entry here."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from django.db.models import Count

from analytics.models import ActiveDay
from common.days import day_bounds
from feed.models import AnnouncementView, Comment, Post, Reaction
from profiles.tenure import TENURE_LABELS, TenureBand, tenure_band  # noqa: F401 (analytics' names for them)
from recognition.models import Kudos


class OverRange(Enum):
    """How a figure reads over several days."""

    SUM = "sum"  # events: add the days up
    MEAN = "mean"  # people on a day: the average day
    LAST = "last"  # a rolling window or a headcount: its value on the range's last day


PerPerson = Callable[[date], Counter[int]]


@dataclass(frozen=True)
class Figure:
    name: str  # the SegmentDay column
    label: str
    over_range: OverRange
    help: str
    collect: PerPerson | None  # None: every person placed that day counts once (the headcount)
    # The same events for the range fill (analytics/fill_arrays.py): SQL giving (person, local day)
    # for the days %(first)s to %(last)s (timestamps %(first_at)s to %(last_at)s, zone %(tz)s).
    events: str | None = None
    window: int = 0  # 0: the events of the day; N: the people with an event in the N days up to it


def _local_day(column: str = "created_at") -> str:
    return f"({column} AT TIME ZONE %(tz)s)::date"


def _events(model, person: str, where: str = "") -> str:
    return (
        f"SELECT {person}, {_local_day()} FROM {model._meta.db_table}"
        f" WHERE created_at >= %(first_at)s AND created_at < %(last_at)s{where}"
    )


ACTIVE_DAYS = (
    f"SELECT profile_id, day FROM {ActiveDay._meta.db_table} WHERE day BETWEEN %(first)s AND %(last)s"
)
POSTS = _events(Post, "author_id", f" AND kind <> '{Post.Kind.KUDOS.value}'")
COMMENTS = _events(Comment, "author_id")


def _people_active(day: date, days: int) -> Counter[int]:
    ids = (
        ActiveDay.objects.filter(day__gt=day - timedelta(days=days), day__lte=day)
        .values_list("profile_id", flat=True)
        .distinct()
    )
    return Counter(set(ids))


def _per_author(qs, field: str) -> Counter[int]:
    return Counter(
        {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by() if row[field]}
    )


def _in_day(day: date) -> dict:
    start, end = day_bounds(day)
    return {"created_at__gte": start, "created_at__lt": end}


def _contributors(day: date, days: int) -> Counter[int]:
    start, end = day_bounds(day - timedelta(days=days - 1))[0], day_bounds(day)[1]
    window = {"created_at__gte": start, "created_at__lt": end}
    posters = set(
        Post.objects.filter(**window).exclude(kind=Post.Kind.KUDOS).values_list("author_id", flat=True)
    )
    commenters = set(Comment.objects.filter(**window).values_list("author_id", flat=True))
    return Counter(posters | commenters)


FIGURES: tuple[Figure, ...] = (
    Figure("headcount", "People", OverRange.LAST, "Employees placed in the segment on the day.", None),
    Figure(
        "active",
        "Active per day",
        OverRange.MEAN,
        "People who opened Hive that day (over a range: the average day).",
        lambda day: _people_active(day, 1),
        events=ACTIVE_DAYS,
    ),
    Figure(
        "active_7",
        "Weekly active",
        OverRange.LAST,
        "People who opened Hive in the 7 days up to the day.",
        lambda day: _people_active(day, 7),
        events=ACTIVE_DAYS,
        window=7,
    ),
    Figure(
        "active_28",
        "Monthly active",
        OverRange.LAST,
        "People who opened Hive in the 28 days up to the day.",
        lambda day: _people_active(day, 28),
        events=ACTIVE_DAYS,
        window=28,
    ),
    Figure(
        "contributors_28",
        "Contributors",
        OverRange.LAST,
        "People who posted or commented in the 28 days up to the day (the rest of the monthly active "
        "only read and react).",
        lambda day: _contributors(day, 28),
        events=f"{POSTS} UNION ALL {COMMENTS}",
        window=28,
    ),
    Figure(
        "posts",
        "Posts",
        OverRange.SUM,
        "Posts, questions, polls and announcements written (kudos are counted apart).",
        lambda day: _per_author(
            Post.objects.filter(**_in_day(day)).exclude(kind=Post.Kind.KUDOS), "author_id"
        ),
        events=POSTS,
    ),
    Figure(
        "comments",
        "Comments",
        OverRange.SUM,
        "Comments and answers written.",
        lambda day: _per_author(Comment.objects.filter(**_in_day(day)), "author_id"),
        events=COMMENTS,
    ),
    Figure(
        "reactions",
        "Reactions",
        OverRange.SUM,
        "Reactions given.",
        lambda day: _per_author(Reaction.objects.filter(**_in_day(day)), "profile_id"),
        events=_events(Reaction, "profile_id"),
    ),
    Figure(
        "announcements_seen",
        "Announcements seen",
        OverRange.SUM,
        "Announcements that reached someone's screen, each counted once per person (the reach of "
        "company announcements).",
        lambda day: _per_author(
            AnnouncementView.objects.filter(seen_at__gte=day_bounds(day)[0], seen_at__lt=day_bounds(day)[1]),
            "profile_id",
        ),
        events=(
            f"SELECT profile_id, {_local_day('seen_at')} FROM {AnnouncementView._meta.db_table}"
            " WHERE seen_at >= %(first_at)s AND seen_at < %(last_at)s"
        ),
    ),
    Figure(
        "kudos",
        "Kudos given",
        OverRange.SUM,
        "Kudos given.",
        lambda day: _per_author(Kudos.objects.filter(**_in_day(day)), "giver_id"),
        events=_events(Kudos, "giver_id"),
    ),
)

FIGURE_NAMES = tuple(f.name for f in FIGURES)
