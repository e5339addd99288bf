"""The counts of kudos received that pages read instead of counting kudos: the leaderboard's tallies
(KudosTally: public kudos per calendar period, person and value) and each person's totals (KudosReceived:
public and private, for their profile).

They change in the transaction that changes what is counted, and nowhere else: a kudos given
(`kudos_counts_add`), its post taken down by its giver or a moderator or restored (feed calls
`kudos_post_shown_changed`), a private kudos removed or restored by a moderator. A kudos counts while
it is shown: a public one while its post is up, a private one until a moderator removes it.

Every writer changes the tallies before the totals, each in key order (period, start, recipient, value
with "all values" first), so two transactions that touch the same rows wait for each other rather than
deadlock. `kudos_counts_repair` (nightly) checks both against the kudos without locking the tables."""

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from feed.models import Post
from recognition.models import Kudos, KudosReceived, KudosRecipient, KudosTally
from recognition.selectors import period_starts

logger = logging.getLogger(__name__)

REPAIR_BATCH = 1000


def _on_postgresql() -> bool:
    """PostgreSQL is Hive's database; SQLite serves only the laptop demo (`make run`), which gets plain ORM
    versions of the few statements below that only PostgreSQL speaks (ON CONSTRAINT, FULL JOIN...)."""
    return connection.vendor == "postgresql"


def _order(key: tuple) -> tuple:
    # The value is last in both keys; "all values" (None) sorts first, as NULLS FIRST does in SQL.
    return (*key[:-1], -1 if key[-1] is None else key[-1])


class _Counts:
    """One of the two tables of counts: its key and amount columns, and its unique constraint."""

    def __init__(self, model: type[Model], keys: tuple[str, ...], amounts: tuple[str, ...], constraint: str):
        self.model, self.keys, self.amounts, self.constraint = model, keys, amounts, constraint
        self.rows = model._default_manager
        self.table = model._meta.db_table
        self.columns = [f"{k}_id" if k in ("recipient", "value") else k for k in keys]

    def add(self, rows: Iterable[tuple]) -> None:
        """Adds (key..., amount...) rows, creating the missing ones, in key order. The amounts may be
        negative only for rows that exist (a new row must be positive: the columns are unsigned)."""
        rows = sorted(rows, key=lambda r: _order(r[: len(self.keys)]))
        if not rows:
            return
        if not _on_postgresql():
            for row in rows:
                key = dict(zip(self.columns, row[: len(self.keys)], strict=True))
                amounts = dict(zip(self.amounts, row[len(self.keys) :], strict=True))
                changed = self.rows.filter(**key).update(**{a: F(a) + n for a, n in amounts.items()})
                if not changed:
                    self.rows.create(**key, **amounts)
            return
        width = len(self.columns) + len(self.amounts)
        placeholders = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
        updates = ", ".join(f"{a} = {self.table}.{a} + EXCLUDED.{a}" for a in self.amounts)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} ({', '.join([*self.columns, *self.amounts])}) "  # noqa: S608
                f"VALUES {placeholders} ON CONFLICT ON CONSTRAINT {self.constraint} DO UPDATE SET {updates}",
                [field for row in rows for field in row],
            )

    def take(self, where: Q, amounts: dict[str, int]) -> None:
        """Takes these amounts from every existing row `where` says. The rows are locked first, in key order;
        a row the kudos was never counted in (given before the counts existed) is simply not there."""
        order = [F(k).asc(nulls_first=True) for k in self.keys]
        ids = list(self.rows.select_for_update().filter(where).order_by(*order).values_list("pk", flat=True))
        # Never below zero, whatever happened before: the nightly repair puts any such row right.
        self.rows.filter(pk__in=ids).update(**{a: Greatest(F(a) - n, 0) for a, n in amounts.items()})

    def correct(self, fixes: list[tuple]) -> None:
        """The repair's corrections, (key..., delta...) rows: the additions in key-ordered batches (one
        statement each, as a kudos' own), each row that loses something alone in its statement."""
        width = len(self.keys)
        fixes = sorted(fixes, key=lambda r: _order(r[:width]))
        adds = [row for row in fixes if min(row[width:]) >= 0]
        for n in range(0, len(adds), REPAIR_BATCH):
            with transaction.atomic():
                self.add(adds[n : n + REPAIR_BATCH])
        for row in fixes:
            if min(row[width:]) < 0:
                where = dict(zip(self.columns, row[:width], strict=True))
                self.rows.filter(**where).update(
                    **{a: Greatest(F(a) + d, 0) for a, d in zip(self.amounts, row[width:], strict=True)}
                )


TALLIES = _Counts(
    KudosTally, ("period", "start", "recipient", "value"), ("kudos", "points"), "kudos_tally_once"
)
RECEIVED = _Counts(KudosReceived, ("recipient", "value"), ("public", "private"), "kudos_received_once")


def _count(*, kudos: Kudos, recipient_ids: Sequence[int], value_ids: Sequence[int], sign: int) -> None:
    values: list[int | None] = [None, *value_ids]
    column = "private" if kudos.is_private else "public"
    starts = period_starts(day=timezone.localdate(kudos.created_at))
    if sign > 0:
        if not kudos.is_private:  # private kudos are nobody else's business: never ranked
            TALLIES.add(
                (period, start, r, v, 1, kudos.points_each)
                for period, start in starts.items()
                for r in recipient_ids
                for v in values
            )
        RECEIVED.add(
            (r, v, int(column == "public"), int(column == "private")) for r in recipient_ids for v in values
        )
        return
    of_values = Q(value__in=value_ids) | Q(value__isnull=True)
    if not kudos.is_private:
        in_periods = Q()
        for period, start in starts.items():
            in_periods |= Q(period=period, start=start)
        TALLIES.take(
            in_periods & Q(recipient__in=recipient_ids) & of_values, {"kudos": 1, "points": kudos.points_each}
        )
    RECEIVED.take(Q(recipient__in=recipient_ids) & of_values, {column: 1})


def kudos_counts_add(*, kudos: Kudos, recipient_ids: Sequence[int], value_ids: Sequence[int]) -> None:
    """Counts a kudos for its recipients (called in the transaction that gives it)."""
    _count(kudos=kudos, recipient_ids=recipient_ids, value_ids=value_ids, sign=1)


def _kudos_uncount_or_recount(*, kudos: Kudos, sign: int) -> None:
    recipient_ids = list(KudosRecipient.objects.filter(kudos=kudos).values_list("recipient_id", flat=True))
    value_ids = list(
        Kudos.values.through.objects.filter(kudos=kudos).values_list("companyvalue_id", flat=True)
    )
    _count(kudos=kudos, recipient_ids=recipient_ids, value_ids=value_ids, sign=sign)


def kudos_post_shown_changed(*, post: Post, shown: bool) -> None:
    """feed/kinds.py: a kudos post was taken down (its giver's delete, a moderator's removal) or restored,
    in that transaction, under the post's row lock: its kudos leaves the counts or comes back."""
    kudos = Kudos.objects.filter(post=post).first()
    if kudos is not None:
        _kudos_uncount_or_recount(kudos=kudos, sign=1 if shown else -1)


def private_kudos_shown_changed(*, kudos: Kudos, shown: bool) -> None:
    """A moderator removed or restored a private kudos (called under its row lock)."""
    if kudos.is_private:
        _kudos_uncount_or_recount(kudos=kudos, sign=1 if shown else -1)


# --- The nightly check --------------------------------------------------------------------------------


def _year_start(today: date) -> datetime:
    return datetime.combine(today.replace(month=1, day=1), time.min, tzinfo=timezone.get_current_timezone())


# One statement, so the kudos and the counts are read in the same snapshot: what differs there is what
# the services missed, whatever was given or removed since (their own changes land on top of a correction).
_TALLY_DIFFERENCES = """
WITH received AS (
    SELECT r.recipient_id, r.points, r.kudos_id, (r.created_at AT TIME ZONE %(tz)s)::date AS day
    FROM recognition_kudosrecipient r
    JOIN recognition_kudos k ON k.id = r.kudos_id
    JOIN feed_post p ON p.id = k.post_id
    WHERE NOT k.is_private AND p.removed_at IS NULL AND r.created_at >= %(since)s
), tagged AS (
    SELECT recipient_id, points, day, NULL::bigint AS value_id FROM received
    UNION ALL
    SELECT recipient_id, points, day, v.companyvalue_id FROM received
    JOIN recognition_kudos_values v ON v.kudos_id = received.kudos_id
), expected AS (
    SELECT period, start, recipient_id, value_id, count(*) AS kudos, coalesce(sum(points), 0) AS points
    FROM (
        SELECT 'month' AS period, date_trunc('month', day)::date AS start, * FROM tagged
        UNION ALL
        SELECT 'quarter', date_trunc('quarter', day)::date, * FROM tagged
        UNION ALL
        SELECT 'year', date_trunc('year', day)::date, * FROM tagged
    ) AS periods
    GROUP BY period, start, recipient_id, value_id
), actual AS (
    SELECT period, start, recipient_id, value_id, kudos, points FROM recognition_kudostally
    WHERE start >= %(first_day)s
)
SELECT coalesce(e.period, a.period), coalesce(e.start, a.start), coalesce(e.recipient_id, a.recipient_id),
       coalesce(e.value_id, a.value_id),
       coalesce(e.kudos, 0) - coalesce(a.kudos, 0), coalesce(e.points, 0) - coalesce(a.points, 0)
FROM expected e FULL JOIN actual a
  ON e.period = a.period AND e.start = a.start AND e.recipient_id = a.recipient_id
 AND coalesce(e.value_id, 0) = coalesce(a.value_id, 0)
WHERE coalesce(e.kudos, 0) <> coalesce(a.kudos, 0) OR coalesce(e.points, 0) <> coalesce(a.points, 0)
"""

_RECEIVED_DIFFERENCES = """
WITH counted AS (
    SELECT r.recipient_id, r.kudos_id, k.is_private
    FROM recognition_kudosrecipient r
    JOIN recognition_kudos k ON k.id = r.kudos_id
    LEFT JOIN feed_post p ON p.id = k.post_id
    WHERE CASE WHEN k.is_private THEN k.removed_at IS NULL ELSE p.removed_at IS NULL END
), tagged AS (
    SELECT recipient_id, is_private, NULL::bigint AS value_id FROM counted
    UNION ALL
    SELECT recipient_id, is_private, v.companyvalue_id FROM counted
    JOIN recognition_kudos_values v ON v.kudos_id = counted.kudos_id
), expected AS (
    SELECT recipient_id, value_id, count(*) FILTER (WHERE NOT is_private) AS public,
           count(*) FILTER (WHERE is_private) AS private
    FROM tagged GROUP BY recipient_id, value_id
)
SELECT coalesce(e.recipient_id, a.recipient_id), coalesce(e.value_id, a.value_id),
       coalesce(e.public, 0) - coalesce(a.public, 0), coalesce(e.private, 0) - coalesce(a.private, 0)
FROM expected e FULL JOIN recognition_kudosreceived a
  ON e.recipient_id = a.recipient_id AND coalesce(e.value_id, 0) = coalesce(a.value_id, 0)
WHERE coalesce(e.public, 0) <> coalesce(a.public, 0) OR coalesce(e.private, 0) <> coalesce(a.private, 0)
"""


def _differences_in_python(today: date) -> tuple[list[tuple], list[tuple]]:
    """The same differences for the SQLite demo, counted in Python (a few thousand kudos)."""
    values_of: dict[int, list[int | None]] = defaultdict(lambda: [None])
    for kudos_id, value_id in Kudos.values.through.objects.values_list("kudos_id", "companyvalue_id"):
        values_of[kudos_id].append(value_id)
    shown = Q(kudos__is_private=True, kudos__removed_at__isnull=True) | Q(
        kudos__is_private=False, kudos__post__removed_at__isnull=True
    )
    since = _year_start(today)
    tallies: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    received: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    rows = KudosRecipient.objects.filter(shown).values_list(
        "recipient_id", "points", "kudos_id", "created_at", "kudos__is_private"
    )
    for recipient, points, kudos_id, created_at, is_private in rows:
        for value in values_of[kudos_id]:
            received[(recipient, value)][int(is_private)] += 1
            if is_private or created_at < since:
                continue
            for period, start in period_starts(day=timezone.localdate(created_at)).items():
                total = tallies[(period, start, recipient, value)]
                total[0] += 1
                total[1] += points

    def differences(expected: dict[tuple, list[int]], actual: Iterable[tuple], width: int) -> list[tuple]:
        have = {row[:width]: list(row[width:]) for row in actual}
        out = []
        for key in expected.keys() | have.keys():
            deltas = [e - a for e, a in zip(expected.get(key, [0, 0]), have.get(key, [0, 0]), strict=True)]
            if any(deltas):
                out.append((*key, *deltas))
        return out

    actual_tallies = KudosTally.objects.filter(start__gte=since.date()).values_list(
        "period", "start", "recipient_id", "value_id", "kudos", "points"
    )
    actual_received = KudosReceived.objects.values_list("recipient_id", "value_id", "public", "private")
    return differences(tallies, actual_tallies, 4), differences(received, actual_received, 2)


def kudos_counts_repair(*, today: date | None = None) -> int:
    """Checks this year's tallies and everyone's totals against the kudos and corrects the rows that differ;
    returns how many it corrected (none, when every change went through the services as it should).

    Locks no table: it reads the kudos and the counts in one statement's snapshot, then corrects each row
    that differed by the difference it saw there, one short statement per row. Kudos given or removed
    meanwhile neither wait for it nor get lost or counted twice: their services' own changes add to the
    corrected rows. Idempotent: a rerun finds nothing to correct."""
    today = today or timezone.localdate()
    if _on_postgresql():
        params: dict[str, Any] = {
            "tz": timezone.get_current_timezone_name(),
            "since": _year_start(today),
            "first_day": today.replace(month=1, day=1),
        }
        with connection.cursor() as cursor:
            cursor.execute(_TALLY_DIFFERENCES, params)
            tally_fixes = cursor.fetchall()
            cursor.execute(_RECEIVED_DIFFERENCES)
            received_fixes = cursor.fetchall()
    else:
        tally_fixes, received_fixes = _differences_in_python(today)
    TALLIES.correct(tally_fixes)
    RECEIVED.correct(received_fixes)
    fixed = len(tally_fixes) + len(received_fixes)
    if fixed:
        # The services keep the counts; a correction means some change went around them.
        logger.warning(
            "kudos counts repair corrected %d tally and %d total rows", len(tally_fixes), len(received_fixes)
        )
    return fixed
