"""The only state search keeps: counts of searches, and of those that found nothing (search.models)."""

import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.counters import counters_add
from profiles.models import Profile
from profiles.tenure import tenure_band
from search.models import SearchDay, ZeroResultSearch

QUERY_MAX = 200


def query_normalise(text: str) -> str:
    """One spelling per search: "  Expense  POLICY" and "expense policy" count together."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())[:QUERY_MAX]


def zero_result_record(*, query: str, day: date | None = None) -> bool:
    """Counts one search for `query` that found nothing today. Returns False when not counted: an
    empty query, or a day that already holds HIVE_ZERO_RESULT_MAX_PER_DAY different queries (a
    script trying random words cannot fill the table)."""
    text = query_normalise(query)
    if not text:
        return False
    day = day or timezone.localdate()
    rows = ZeroResultSearch.objects.filter(day=day, query=text)
    if rows.update(count=F("count") + 1):
        return True
    if ZeroResultSearch.objects.filter(day=day).count() >= settings.HIVE_ZERO_RESULT_MAX_PER_DAY:
        return False
    try:
        with transaction.atomic():
            ZeroResultSearch.objects.create(day=day, query=text, count=1)
    except IntegrityError:
        # Someone else's identical search created the row a moment ago: count on it.
        rows.update(count=F("count") + 1)
    return True


def search_record(*, searcher: Profile, query: str, found_nothing: bool, day: date | None = None) -> None:
    """Counts one search run: a search for the searcher's department, location and tenure band that
    day (one statement), and, when it found nothing, one for its words (zero_result_record), the two
    in one transaction. Neither who searched nor, for a search that found something, what they
    searched for is kept."""
    day = day or timezone.localdate()
    if not found_nothing:
        _segment_count(searcher=searcher, day=day, found_nothing=False)  # one statement: atomic alone
        return
    with transaction.atomic():
        _segment_count(searcher=searcher, day=day, found_nothing=True)
        zero_result_record(query=query, day=day)


def _segment_count(*, searcher: Profile, day: date, found_nothing: bool) -> None:
    segment = (
        (SearchDay.Axis.DEPARTMENT, searcher.department_id or -1),
        (SearchDay.Axis.LOCATION, searcher.location_id or -1),
        (SearchDay.Axis.TENURE, tenure_band(searcher.start_date, day)),
    )
    counters_add(
        model=SearchDay,
        unique=("day", "axis", "key"),
        rows=[
            {"day": day, "axis": axis, "key": key, "searches": 1, "found_nothing": int(found_nothing)}
            for axis, key in segment
        ],
    )


def zero_results_prune(*, today: date | None = None) -> int:
    """Deletes the days older than HIVE_ZERO_RESULT_DAYS; running it twice deletes nothing more."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.HIVE_ZERO_RESULT_DAYS)
    deleted, _ = ZeroResultSearch.objects.filter(day__lt=cutoff).delete()
    return deleted
