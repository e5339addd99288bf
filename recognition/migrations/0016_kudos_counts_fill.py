"""Counts the kudos already given into the tallies (this year's, unless 0012 counted them before it stopped
doing so) and into the kudos received, without holding anything that giving kudos waits for.

The two INSERT ... SELECT statements take only what any SELECT takes on the kudos tables (an ACCESS SHARE
lock: writers do not wait for it) and write tables no running code reads yet; the tables, their indexes and
foreign keys were created empty by 0012 and 0015, so no index build or constraint check runs over millions of
rows while a lock on profiles is held. Kudos given by the previous release while this runs are not in this
snapshot: the nightly recognition.counts_repair adds them. Run it before starting the new release: kudos
given by the new code while it runs would wait for its rows. At 1,000,000 kudos (bench/recognition/measure.py,
2 shared cores at load 23-27) it took 30 min when the tallies' four indexes were kept row by row; the ranking
indexes are now built after the rows are in.

The SQL is a copy, frozen here, of what recognition/counts.py counts: a migration must not run code that
follows later schemas. The SQLite demo is seeded after it migrates, so it has nothing to count here."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone

TALLIES_FILL = """
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
)
INSERT INTO recognition_kudostally (period, start, recipient_id, value_id, kudos, points)
SELECT period, start, recipient_id, value_id, count(*), coalesce(sum(points), 0) FROM (
    SELECT 'month' AS period, date_trunc('month', day)::date AS start, * FROM tagged
    UNION ALL
    SELECT 'quarter', date_trunc('quarter', day)::date, * FROM tagged
    UNION ALL
    SELECT 'year', date_trunc('year', day)::date, * FROM tagged
) AS periods
GROUP BY period, start, recipient_id, value_id
ORDER BY period, start, recipient_id, value_id NULLS FIRST  -- the unique index is then written in order
ON CONFLICT ON CONSTRAINT kudos_tally_once DO NOTHING
"""

RECEIVED_FILL = """
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
)
INSERT INTO recognition_kudosreceived (recipient_id, value_id, public, private)
SELECT recipient_id, value_id, count(*) FILTER (WHERE NOT is_private), count(*) FILTER (WHERE is_private)
FROM tagged GROUP BY recipient_id, value_id
ORDER BY recipient_id, value_id NULLS FIRST
ON CONFLICT ON CONSTRAINT kudos_received_once DO NOTHING
"""


def counts_fill(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    first_day = timezone.localdate().replace(month=1, day=1)
    tally = apps.get_model("recognition", "KudosTally")
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM recognition_kudostally)")
        if not cursor.fetchone()[0]:  # else 0012 filled them, and kudos have kept them since
            # The ranking indexes are built once the rows are in rather than kept row by row: much faster at
            # millions of rows, and nothing reads the table yet. The unique one stays (ON CONFLICT uses it).
            for index in tally._meta.indexes:
                schema_editor.remove_index(tally, index)
            cursor.execute(
                TALLIES_FILL,
                {
                    "tz": timezone.get_current_timezone_name(),
                    "since": datetime.combine(first_day, time.min, tzinfo=timezone.get_current_timezone()),
                },
            )
            # The rows' foreign keys are checked at commit (deferred); an index cannot be built over rows
            # with checks pending, so they run now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for index in tally._meta.indexes:
                schema_editor.add_index(tally, index)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(RECEIVED_FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0015_kudos_received"),
    ]

    operations = [migrations.RunPython(counts_fill, migrations.RunPython.noop)]
