"""Scale bench of the adoption figures (issue 11): a company of 100,000 people with a year of activity
(about 10 million activity rows), then the nightly fill, the backfill and the dashboard, timed.

    nice -n 10 .venv/bin/python bench/analytics/run.py --fresh     # build hive_analytics_bench, measure
    nice -n 10 .venv/bin/python bench/analytics/run.py             # measure again on the built database
    nice -n 10 .venv/bin/python bench/analytics/run.py --people 5000 --days 60 --fresh --database hive_ab_s

The company is made with set-based SQL (generate_series), so building it takes minutes, not hours.
Dashboard views are timed through Django's test client in this process (middleware, view, template),
median of --requests after a warm-up, with their SQL query count. Prints a table and writes
bench/analytics/results.json. Drop the scratch database when done:
`psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE hive_analytics_bench'`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import DEFAULT_SERVER, _recreate_database, configure_django, database_url  # noqa: E402

RESULTS = Path(__file__).with_name("results.json")
TARGETS = {"dashboard_median_ms": 200.0, "nightly_fill_s": 5.0, "backfill_year_s": 60.0}
DEPARTMENTS, LOCATIONS = 40, 25


def _sql(cursor, statement: str, params=None) -> None:
    cursor.execute(statement, params or [])


def build(*, people: int, days: int, log) -> None:
    """The company, in SQL: people with skewed department sizes, a year of activity around a habit
    per person (some daily, most occasional, a tail who never come), posts, comments and reactions."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    first = today - timedelta(days=days)
    with connection.cursor() as c:
        _sql(c, "SELECT setseed(0.11)")
        _sql(
            c,
            "INSERT INTO profiles_department (name) SELECT 'Department ' || i FROM generate_series(1, %s) i",
            [DEPARTMENTS],
        )
        _sql(
            c,
            "INSERT INTO profiles_location (name, time_zone)"
            " SELECT 'Office ' || i, 'UTC' FROM generate_series(1, %s) i",
            [LOCATIONS],
        )
        _sql(
            c,
            "INSERT INTO profiles_user (password, is_superuser, email, is_active, is_staff, date_joined,"
            " session_generation)"
            " SELECT '!', false, 'p' || i || '@bench.example', i %% 100 <> 0, false, now(), 0"
            " FROM generate_series(1, %s) i",
            [people],
        )
        # Department sizes follow a power law (a few big ones, many small); 70% sit in their
        # department's home office; start dates spread over 20 years, more of them recent.
        _sql(
            c,
            "INSERT INTO profiles_profile (display_name, job_title, bio, created_at, user_id,"
            " languages, links, phone, photo, pronouns, department_id, location_id, start_date)"
            " SELECT 'Person ' || u.id, 'Employee', '', now(), u.id, '[]', '[]', '', '', '',"
            "   d.dep, CASE WHEN random() < 0.7 THEN 1 + (d.dep * 7) %% %s ELSE 1 + floor(random() * %s) END,"
            "   %s::date - (floor(power(random(), 2) * 7300))::int"
            " FROM profiles_user u,"
            " LATERAL (SELECT 1 + floor(power(random(), 2.2) * %s)::int + (u.id * 0) AS dep) d",
            [LOCATIONS, LOCATIONS, today, DEPARTMENTS],
        )
        log(f"{people:,} people in {DEPARTMENTS} departments and {LOCATIONS} offices")
        # A habit per person: the chance of opening Hive on a working day.
        _sql(
            c, "CREATE TEMP TABLE habit AS SELECT id, power(random(), 1.6) * 0.75 AS p FROM profiles_profile"
        )
        _sql(
            c,
            "INSERT INTO analytics_activeday (profile_id, day)"
            " SELECT h.id, d::date FROM habit h, generate_series(%s::date, %s::date, '1 day') d"
            " WHERE random() < h.p * CASE WHEN extract(isodow FROM d) > 5 THEN 0.15 ELSE 1 END",
            [first, today - timedelta(days=1)],
        )
        c.execute("SELECT count(*) FROM analytics_activeday")
        active_rows = c.fetchone()[0]
        log(f"{active_rows:,} active days")
        # Posts, comments and reactions by the active: a sample of the active days.
        _sql(
            c,
            "INSERT INTO feed_post (kind, body, created_at, comment_count, reaction_count, author_id)"
            " SELECT CASE WHEN random() < 0.1 THEN 'question' ELSE 'update' END, 'Bench post',"
            "   day + (random() * interval '10 hours') + interval '8 hours', 0, 0, profile_id"
            " FROM analytics_activeday WHERE random() < 0.06",
        )
        c.execute("SELECT min(id), max(id) FROM feed_post")
        low, high = c.fetchone()
        _sql(
            c,
            "INSERT INTO feed_comment (body, created_at, author_id, post_id)"
            " SELECT 'Bench comment', a.day + interval '12 hours', a.profile_id,"
            "   %s + floor(random() * (%s - %s))::int"
            " FROM analytics_activeday a WHERE random() < 0.10",
            [low, high, low],
        )
        _sql(
            c,
            "INSERT INTO feed_reaction (kind, created_at, post_id, profile_id)"
            " SELECT 'like', a.day + interval '13 hours', %s + floor(random() * (%s - %s))::int, a.profile_id"
            " FROM analytics_activeday a WHERE random() < 0.14 ON CONFLICT DO NOTHING",
            [low, high, low],
        )
        c.execute(
            "SELECT (SELECT count(*) FROM feed_post), (SELECT count(*) FROM feed_comment),"
            " (SELECT count(*) FROM feed_reaction)"
        )
        posts, comments, reactions = c.fetchone()
        log(f"{posts:,} posts, {comments:,} comments, {reactions:,} reactions")
        log(f"{active_rows + posts + comments + reactions:,} activity rows in all")
        _sql(c, "ANALYZE")


def history(*, days: int, log) -> None:
    """Where people sat: everyone placed from the start; 3% move department half-way through."""
    from django.db import connection
    from django.utils import timezone

    from analytics.fill import placements_record

    first = timezone.localdate() - timedelta(days=days)
    placements_record(day=first)
    with connection.cursor() as c:
        _sql(
            c,
            "UPDATE profiles_profile SET department_id = 1 + (department_id %% %s) WHERE id %% 33 = 0",
            [DEPARTMENTS],
        )
    placements_record(day=first + timedelta(days=days // 2))
    log("placements recorded; 3% moved department half-way")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu_seconds() -> tuple[float, float | None]:
    """CPU time so far of this process and of its PostgreSQL backend (None when the server is not on
    this machine): on a shared machine, the work done, whatever the load."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return time.process_time(), None
    return time.process_time(), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_cpu(fn, results: dict, name: str) -> float:
    """Wall time of fn(); its CPU seconds (Python, PostgreSQL) go into results[name + "_cpu_s"]."""
    python, postgres = cpu_seconds()
    took = timed(fn)
    python_after, postgres_after = cpu_seconds()
    results[f"{name}_cpu_s"] = {
        "python": python_after - python,
        "postgres": None if postgres is None or postgres_after is None else postgres_after - postgres,
    }
    return took


def measure(*, days: int, requests: int, backfill_days: int, replicate_year: bool, log) -> dict:
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from analytics.fill import SEGMENTS, segments_backfill
    from analytics.models import FillState, SegmentDay
    from analytics.tasks import figures_day
    from profiles import roles
    from profiles.models import Profile

    results: dict = {"load_average_before": os.getloadavg()}
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    results["nightly_fill_s"] = timed_cpu(lambda: figures_day(yesterday.isoformat()), results, "nightly_fill")
    cpu = results["nightly_fill_cpu_s"]
    log(f"nightly fill (placements + one day): {results['nightly_fill_s']:.2f} s, CPU {cpu}")

    start = yesterday - timedelta(days=backfill_days - 1)
    results["backfill_days"] = backfill_days
    results["backfill_s"] = timed_cpu(
        lambda: segments_backfill(start=start, end=yesterday), results, "backfill"
    )
    results["backfill_per_day_s"] = results["backfill_s"] / backfill_days
    results["backfill_year_estimate_s"] = results["backfill_per_day_s"] * 365
    log(
        f"backfill of {backfill_days} days: {results['backfill_s']:.1f} s "
        f"({results['backfill_per_day_s']:.2f} s a day; a year ~{results['backfill_year_estimate_s']:.0f} s),"
        f" CPU {results['backfill_cpu_s']}"
    )
    if backfill_days > 7 and not replicate_year:
        # What `manage.py analytics_backfill` does after a long range (and autovacuum soon after):
        # statistics for the planner, and the replaced rows' pages cleared for the index scans.
        with connection.cursor() as c:
            tables = "analytics_segmentday, analytics_segment, analytics_interactionday"
            results["vacuum_s"] = timed(lambda: c.execute(f"VACUUM ANALYZE {tables}"))
        log(f"vacuumed the stored figures in {results['vacuum_s']:.1f} s")
    if replicate_year:
        # The dashboard over a year of stored rows without a year of backfill: the filled week's
        # rows copied to every earlier week (timing only; the figures repeat).
        from django.db import connection as conn

        with conn.cursor() as c:
            c.execute("DELETE FROM analytics_segmentday WHERE day <= %s - 7", [yesterday])
            c.execute(
                "INSERT INTO analytics_segmentday (segment_id, day, headcount, active, active_7, active_28,"
                " contributors_28, posts, comments, reactions, kudos, announcements_seen)"
                " SELECT segment_id, s.day - w * 7, headcount, active, active_7, active_28,"
                " contributors_28, posts, comments, reactions, kudos, announcements_seen"
                " FROM analytics_segmentday s JOIN analytics_segment g ON g.id = s.segment_id,"
                " generate_series(1, 52) w"
                " WHERE s.day > %s - 7"
                # In the order a year of nightly fills would leave them: day by day, each day's
                # rows as the fill writes them (margins first).
                " ORDER BY s.day - w * 7,"
                " (department = 0)::int + (location = 0)::int + (tenure = 0)::int DESC,"
                " department, location, tenure"
                " ON CONFLICT DO NOTHING",
                [yesterday],
            )
            c.execute(
                "INSERT INTO analytics_fillstate (stat, day, filled_at)"
                " SELECT 'segments', d::date, now() FROM generate_series(%s::date - 370, %s::date, '1 day') d"
                " ON CONFLICT DO NOTHING",
                [yesterday, yesterday],
            )
        # What autovacuum does after a big rewrite, here at once: without it, index scans visit the
        # replaced rows' pages too (12,700 heap pages instead of 690 for the year by department).
        with conn.cursor() as c:
            c.execute("VACUUM ANALYZE analytics_segmentday")
        log("the week's rows copied to the 52 weeks before it (earlier rows replaced, then vacuumed)")
    results["segment_rows"] = SegmentDay.objects.count()
    results["filled_days"] = FillState.objects.filter(stat=SEGMENTS).count()

    viewer = Profile.objects.select_related("user").filter(user__is_active=True).first()
    viewer.user.groups.add(Group.objects.get_or_create(name=roles.COMMUNICATIONS)[0])
    client = Client()
    client.force_login(viewer.user)
    first_filled = (
        FillState.objects.filter(stat=SEGMENTS).order_by("day").values_list("day", flat=True).first()
    )
    views = {
        "default (30 days)": "/analytics/",
        "whole range": f"/analytics/?start={first_filled}",
        "whole range, one department": f"/analytics/?start={first_filled}&department=1",
        "whole range, one office": f"/analytics/?start={first_filled}&location=2",
        "whole range, department+office+tenure": (
            f"/analytics/?start={first_filled}&department=1&location=2&tenure=3"
        ),
        "CSV by department, whole range": f"/analytics/export/department.csv?start={first_filled}",
    }
    results["views"] = {}
    for name, url in views.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        samples = [timed(lambda url=url: client.get(url)) * 1000 for _ in range(requests)]
        median = statistics.median(samples)
        results["views"][name] = {
            "url": url,
            "median_ms": median,
            "max_ms": max(samples),
            "queries": len(queries),
        }
        log(f"{name:42s} median {median:7.1f} ms  max {max(samples):7.1f} ms  {len(queries)} queries")
    results["dashboard_median_ms"] = max(v["median_ms"] for v in results["views"].values())
    results["load_average_after"] = os.getloadavg()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="hive_analytics_bench")
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", DEFAULT_SERVER))
    parser.add_argument("--fresh", action="store_true", help="drop, recreate and build the company first")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365, help="days of history to build")
    parser.add_argument("--backfill-days", type=int, default=365, help="days the timed backfill fills")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--replicate-year",
        action="store_true",
        help="copy the backfilled week over a year to time the dashboard",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.database in ("hive", "postgres", "template0", "template1"):
        parser.error(f"refusing to use database {args.database}")
    if args.fresh:
        _recreate_database(args.database, args.server, fresh=True)
    warnings.filterwarnings("ignore", message="No directory at")
    configure_django(database_url(args.database, args.server))
    from django.conf import settings
    from django.test.utils import override_settings

    # Production's manifest storage needs `collectstatic`; plain storage renders the same pages.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    began = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - began:7.1f}s] {text}", flush=True)

    from django.core.management import call_command

    from analytics.models import Placement

    if args.fresh:
        build(people=args.people, days=args.days, log=log)
    call_command("migrate", verbosity=0)
    if not Placement.objects.exists():
        history(days=args.days, log=log)
    results = {
        "people": args.people,
        "days": args.days,
        **measure(
            days=args.days,
            requests=args.requests,
            backfill_days=args.backfill_days,
            replicate_year=args.replicate_year,
            log=log,
        ),
    }
    results["targets"] = TARGETS
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "views"}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
