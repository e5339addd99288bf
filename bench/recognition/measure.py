"""Recognition benchmark: the leaderboard, profiles, the kudos form and the manager view at 100,000
people and 1,000,000 kudos, and what the counts behind them cost to fill and to check.

    nice -n 10 .venv/bin/python bench/recognition/measure.py --keep     # build and keep hive_recognitionbench
    nice -n 10 .venv/bin/python bench/recognition/measure.py --reuse --keep --skip-repair --only leaderboard
    nice -n 10 .venv/bin/python bench/recognition/measure.py --database hive_rec_bench --reuse --keep \
        --skip-repair

Creates a scratch database (hive_recognitionbench), migrates it, and writes with COPY: people in 50
departments with a management tree (about 10 reports each), a year of kudos (9 in 10 public with their
feed post, about 1.25 recipients and 1.3 values each, a third with points; recipients drawn from a
steep curve so some people are thanked far more than others). It then times migration 0016's fill of the
counts (the leaderboard's tallies, each person's kudos received) and the nightly check of them
(recognition.counts.kudos_counts_repair), each while another thread gives a kudos every second refusing
to wait 2 s for a lock (rolled back), and times, through Django's WSGI handler in this process
(bench.people.measure.Server), the leaderboard (each period, one value, one department, both), the
profile of the most thanked person and of a typical one, the kudos form, the kudos wall (all values, one)
and the manager view, with the SQL share of each. The issue's target: under 50 ms median with a fixed
number of queries. Drops the database unless --keep. Prints a table and writes bench/recognition/results.json.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import (
    _recreate_database,
    copy_rows,
    drop_database,
    reset_sequences,
)  # noqa: E402
from bench.people.measure import (  # noqa: E402
    Server,
    bench_parser,
    django_for_bench,
    measure_page,
    print_table,
    results_write,
)

RESULTS = Path(__file__).with_name("results.json")
DATABASE = "hive_recognitionbench"
TARGET_MS = 50.0
DEPARTMENTS = 50


def populate(*, people: int, kudos: int, seed: int = 13) -> dict[str, int]:
    """Returns ids the pages need: the viewer (a manager), the most thanked person, a typical one."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from feed.models import Post
    from profiles.models import Department, Profile, User
    from recognition.models import CompanyValue, Kudos, KudosRecipient, PointsAccount

    rng = random.Random(seed)
    now = timezone.now()
    password = make_password("bench-password")
    copy_rows(Department, ["id", "name"], [(n + 1, f"Department {n}") for n in range(DEPARTMENTS)])
    copy_rows(
        User,
        ["id", "email", "password", "is_active", "is_staff", "is_superuser", "date_joined"],
        [(n + 1, f"person{n}@example.com", password, n % 97 != 0, False, False, now) for n in range(people)],
    )
    # Person n+1 reports to person n//10+1: a tree of about ten reports per manager.
    copy_rows(
        Profile,
        ["id", "user_id", "display_name", "department_id", "manager_id", "created_at"],
        [
            (n + 1, n + 1, f"Person {n:06d}", n // 2000 % DEPARTMENTS + 1, n // 10 + 1 if n else None, now)
            for n in range(people)
        ],
    )
    values = list(CompanyValue.objects.values_list("pk", flat=True))
    # Recipients from a steep curve over a shuffled order: a few people are thanked far more than most.
    order = list(range(2, people + 1))
    rng.shuffle(order)
    weights = [1 / (rank + 1) ** 0.6 for rank in range(len(order))]
    cum, total_w = [], 0.0
    for w in weights:
        total_w += w
        cum.append(total_w)
    year = dt.timedelta(days=365)

    kudos_rows: list[tuple] = []
    post_rows: list[tuple] = []
    recipient_rows: list[tuple] = []
    value_rows: list[tuple] = []
    counts: dict[int, int] = {}
    written = {"kudos": 0, "public": 0, "recipients": 0, "values": 0}

    def flush() -> None:
        # In chunks, so a million kudos never sit in memory at once; posts before the kudos that name them.
        written["public"] += copy_rows(Post, ["id", "author_id", "kind", "body", "created_at"], post_rows)
        written["kudos"] += copy_rows(
            Kudos,
            ["id", "giver_id", "message", "points_each", "is_private", "post_id", "created_at"],
            kudos_rows,
        )
        written["recipients"] += copy_rows(
            KudosRecipient,
            ["id", "kudos_id", "recipient_id", "giver_id", "points", "created_at"],
            recipient_rows,
        )
        written["values"] += copy_rows(
            Kudos.values.through, ["id", "kudos_id", "companyvalue_id"], value_rows
        )
        for rows in (kudos_rows, post_rows, recipient_rows, value_rows):
            rows.clear()

    messages = [
        "Thanks for the help with the release",
        "Great demo today",
        "Saved the customer call",
        "Fixed the build for everyone",
        "Wrote the docs we needed",
    ]
    post_id = 0
    recipient_id = 0
    value_row_id = 0
    for k in range(1, kudos + 1):
        giver = rng.randrange(2, people + 1)
        created = now - year * (rng.random() ** 1.3)  # more recent kudos than old ones
        is_private = rng.random() < 0.1
        points = rng.choice((5, 10, 20)) if rng.random() < 0.33 else 0
        message = rng.choice(messages)
        post = None
        if not is_private:
            post_id += 1
            post = post_id
            post_rows.append((post_id, giver, "kudos", message, created))
        kudos_rows.append((k, giver, message, points, is_private, post, created))
        count = 1 if rng.random() < 0.85 else rng.randrange(2, 5)
        chosen = set()
        while len(chosen) < count:
            x = rng.random() * total_w
            lo, hi = 0, len(cum) - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if cum[mid] < x:
                    lo = mid + 1
                else:
                    hi = mid
            if order[lo] != giver:
                chosen.add(order[lo])
        for person in chosen:
            recipient_id += 1
            recipient_rows.append((recipient_id, k, person, giver, points, created))
            counts[person] = counts.get(person, 0) + 1
        for value in rng.sample(values, 1 if rng.random() < 0.7 else 2):
            value_row_id += 1
            value_rows.append((value_row_id, k, value))
        if k % 50_000 == 0:
            flush()
    flush()
    viewer = 2  # manages persons 11 to 20
    copy_rows(PointsAccount, ["profile_id", "allowance", "balance", "updated_at"], [(viewer, 100, 40, now)])
    reset_sequences([Department, User, Profile, Post, Kudos, KudosRecipient, Kudos.values.through])
    with connection.cursor() as cursor:
        # As autovacuum leaves a live database: statistics, and visibility maps for index-only scans.
        cursor.execute("VACUUM (ANALYZE)")
    ranked = sorted(counts, key=counts.get, reverse=True)  # type: ignore[arg-type]
    typical = ranked[len(ranked) // 2]
    print(
        f"  {people:,} people, {written['kudos']:,} kudos ({written['public']:,} public), "
        f"{written['recipients']:,} recipient rows, {written['values']:,} values; "
        f"most thanked: {counts[ranked[0]]:,} kudos, typical: {counts[typical]}"
    )
    return {"viewer": viewer, "star": ranked[0], "typical": typical}


class KudosProbe:
    """Gives a kudos every `every` seconds from another thread while a job runs, refusing to wait more than
    `lock_timeout` for any lock, and rolls it back (the data stays as generated): shows whether giving kudos
    waits for the job. `counted=False` writes the kudos' rows as a release before the counts did (during a
    migration, the running release is the previous one)."""

    def __init__(
        self,
        *,
        giver: int,
        recipient: int,
        counted: bool = True,
        every: float = 1.0,
        lock_timeout: str = "2s",
    ) -> None:
        import threading

        self.giver, self.recipient, self.every, self.lock_timeout = giver, recipient, every, lock_timeout
        self.counted = counted
        self.times_ms: list[float] = []
        self.refused: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> KudosProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from django.db import OperationalError, connection, transaction

        from feed.models import Post
        from profiles.models import Profile
        from recognition.models import CompanyValue, Kudos, KudosRecipient
        from recognition.services import kudos_give

        giver = Profile.objects.get(pk=self.giver)
        recipient = Profile.objects.get(pk=self.recipient)
        value = CompanyValue.objects.order_by("pk").first()
        try:
            while not self._stop.wait(self.every):
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        with connection.cursor() as cursor:
                            cursor.execute(f"SET LOCAL lock_timeout = '{self.lock_timeout}'")
                        if self.counted:
                            kudos_give(giver=giver, recipients=[recipient], values=[value], message="probe")
                        else:
                            post = Post.objects.create(author=giver, kind=Post.Kind.KUDOS, body="probe")
                            kudos = Kudos.objects.create(giver=giver, message="probe", post=post)
                            KudosRecipient.objects.create(kudos=kudos, recipient=recipient, giver=giver)
                            kudos.values.set([value])
                        transaction.set_rollback(True)
                except OperationalError as exc:
                    self.refused.append(str(exc).splitlines()[0])
                self.times_ms.append((time.perf_counter() - started) * 1000)
        finally:
            connection.close()

    def summary(self) -> str:
        if not self.times_ms:
            return "no kudos given meanwhile (the job was shorter than the probe's interval)"
        return (
            f"{len(self.times_ms)} kudos given meanwhile, slowest {max(self.times_ms):.0f} ms, median "
            f"{statistics.median(self.times_ms):.0f} ms, {len(self.refused)} gave up waiting "
            f"{self.lock_timeout} for a lock"
        )


def counts_fill_timed(probe_ids: tuple[int, int]) -> tuple[float, str]:
    """Runs migration 0016 (it fills the tallies, unless they hold rows already, and the kudos received)
    as a deploy would, with kudos given meanwhile by the previous release: its seconds and what they saw."""
    from django.core.management import call_command

    call_command("migrate", "recognition", "0015", interactive=False, verbosity=0)  # 0016 undone: a no-op
    started = time.perf_counter()
    with KudosProbe(giver=probe_ids[0], recipient=probe_ids[1], counted=False) as probe:
        call_command("migrate", "recognition", "0016", interactive=False, verbosity=0)
    return round(time.perf_counter() - started, 1), probe.summary()


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, database=DATABASE, results=RESULTS, requests=100, warmup=10)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--kudos", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure an existing scratch database (--keep'd)"
    )
    parser.add_argument(
        "--skip-repair", action="store_true", help="do not time the nightly check of the counts"
    )
    parser.add_argument("--only", nargs="*", help="pages whose name starts with one of these")
    args = parser.parse_args(argv)

    if not args.reuse:
        _recreate_database(args.database, args.server, fresh=True)
    try:
        django_for_bench(database=args.database, server=args.server, migrate=False)
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.recorder import MigrationRecorder

        # A kept database may predate the counts: migration 0016 is then timed below, not run here. One that
        # has them is migrated forward only (going back to 0015 and timing 0016 again would refill them).
        counted = args.reuse and (
            "recognition_kudostally" in connection.introspection.table_names()
            and MigrationRecorder(connection)
            .migration_qs.filter(app="recognition", name="0016_kudos_counts_fill")
            .exists()
        )
        only = ["recognition", "0015"] if args.reuse and not counted else []
        call_command("migrate", *only, interactive=False, verbosity=0)

        from profiles.models import Profile
        from recognition.counts import kudos_counts_repair
        from recognition.models import CompanyValue, KudosRecipient

        if args.reuse:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT recipient_id FROM recognition_kudosrecipient "
                    "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                )
                star = cursor.fetchone()[0]
            ids = {
                "viewer": 2,
                "star": star,
                "typical": KudosRecipient.objects.order_by("id").first().recipient_id,
            }
        else:
            started = time.perf_counter()
            ids = populate(people=args.people, kudos=args.kudos)
            print(f"  written in {time.perf_counter() - started:.0f} s")
        figures: dict[str, object] = {}
        probe_ids = (3, 4)  # a giver and a recipient the probe's kudos (rolled back) go between
        filled = MigrationRecorder(connection).migration_qs.filter(
            app="recognition", name="0016_kudos_counts_fill"
        )
        if not args.reuse or not filled.exists():
            fill_s, meanwhile = counts_fill_timed(probe_ids)
            figures["counts_fill"] = {"seconds": fill_s, "kudos_given_meanwhile": meanwhile}
            print(f"  migration 0016 (fills the counts): {fill_s} s; {meanwhile}")
        call_command("migrate", interactive=False, verbosity=0)
        if not args.skip_repair:
            started = time.perf_counter()
            with KudosProbe(giver=probe_ids[0], recipient=probe_ids[1]) as probe:
                corrected = kudos_counts_repair()
            repair_s = round(time.perf_counter() - started, 1)
            figures["nightly_repair"] = {
                "seconds": repair_s,
                "corrected": corrected,
                "meanwhile": probe.summary(),
            }
            print(f"  nightly check: {corrected} rows corrected in {repair_s} s; {probe.summary()}")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) recognition_kudostally, recognition_kudosreceived")

        viewer = Profile.objects.select_related("user").get(pk=ids["viewer"])
        value = CompanyValue.objects.order_by("pk").first()
        load_before = os.getloadavg()
        rng = random.Random(7)
        server = Server(viewer.user)
        pages = {
            "leaderboard, this month": ["/kudos/leaderboard/"],
            "leaderboard, this quarter": ["/kudos/leaderboard/?period=quarter"],
            "leaderboard, this year": ["/kudos/leaderboard/?period=year"],
            "leaderboard, year, one value": [f"/kudos/leaderboard/?period=year&value={value.pk}"],
            "leaderboard, year, one department": ["/kudos/leaderboard/?period=year&department=7"],
            "leaderboard, month, department": ["/kudos/leaderboard/?department=7"],
            "leaderboard, month, value, dept": [f"/kudos/leaderboard/?department=7&value={value.pk}"],
            "kudos wall": ["/kudos/"],
            "kudos wall, one value": [f"/kudos/?value={value.pk}"],
            "profile, most thanked": [f"/people/{ids['star']}/"],
            "profile, typical": [f"/people/{ids['typical']}/"],
            "kudos form": ["/kudos/give/"],
            "manager view": ["/kudos/team/"],
        }
        if args.only:
            pages = {k: v for k, v in pages.items() if any(k.startswith(o) for o in args.only)}
        results = []
        for name, urls in pages.items():
            result = measure_page(server, name, urls, requests=args.requests, warmup=args.warmup, rng=rng)
            result.target_ms = TARGET_MS
            results.append(result)
        print()
        print_table(results, width=34)
        results_write(
            args.output,
            database=args.database,
            load_before=load_before,
            people=args.people,
            kudos=args.kudos,
            target_ms=TARGET_MS,
            **figures,
            pages=[r.__dict__ for r in results],
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database, args.server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
