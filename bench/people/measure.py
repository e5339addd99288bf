"""Scale benchmark, step 2: server time and SQL queries of the people pages on the generated company.

    .venv/bin/python bench/people/measure.py                  # hive_bench, 200 requests per page
    .venv/bin/python bench/people/measure.py --requests 50 --only profile search

Each request goes through Django's WSGI handler in this process (every middleware, the view, the
template), timed from the call to the last byte of the body: no network, no HTTP parsing, no test
client bookkeeping. The SQL time per request is summed with a database execute wrapper. Queries are
counted separately (CaptureQueriesContext slows requests down), over a few requests per page.
A page whose URL does not resolve yet is reported as "not available" rather than failing the run.
Prints a table and writes bench/people/results.json.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import (  # noqa: E402
    DEFAULT_DATABASE,
    DEFAULT_SERVER,
    configure_django,
    database_url,
)

RESULTS = Path(__file__).with_name("results.json")
# The targets (median server time on PostgreSQL at 100,000 people).
TARGETS_MS = {"profile": 50.0, "search": 50.0}
TYPOS = [
    "kubernets", "pyhton", "postgress", "terrafrom", "javascipt", "negociation", "acounting",
    "machne learning", "kuberntes", "reactt", "djangoo", "salesforse", "photoshop", "grafanna",
]  # fmt: skip
PROJECT_WORDS = [
    "migration", "dashboard", "rollout", "Kubernetes migration", "payments platform", "pilot",
    "self-service portal", "cost review", "design system", "data platform", "audit", "playbook",
]  # fmt: skip


@dataclass
class PageResult:
    name: str
    path_example: str
    available: bool = True
    note: str = ""
    requests: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    mean_ms: float | None = None
    max_ms: float | None = None
    sql_p50_ms: float | None = None
    queries_min: int | None = None
    queries_max: int | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    target_ms: float | None = None
    error_traceback: str | None = None


class Server:
    """Django's WSGI application, called in-process with a signed-in session cookie."""

    def __init__(self, user) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.signals import got_request_exception
        from django.db import connection
        from django.test import Client, RequestFactory

        client = Client()
        client.force_login(user)
        self.cookie = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
        self.handler = WSGIHandler()
        self.factory = RequestFactory()
        self.connection = connection
        self.last_error: str | None = None
        self.last_traceback: str | None = None
        got_request_exception.connect(self._remember_error, weak=False)

    def _remember_error(self, sender, request=None, **kwargs) -> None:
        kind, error, _ = sys.exc_info()
        self.last_error = "".join(traceback.format_exception_only(kind, error)).strip()
        self.last_traceback = traceback.format_exc()

    def get(self, url: str) -> tuple[int, float, float]:
        """(status, total seconds, seconds spent in SQL) for one GET of `url`."""
        environ = self.factory.get(url).environ
        environ["HTTP_COOKIE"] = self.cookie
        environ["wsgi.input"] = io.BytesIO(b"")
        status_holder: list[str] = []
        sql = [0.0]

        def timed_sql(execute, sql_text, params, many, context):
            t = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                sql[0] += time.perf_counter() - t

        def start_response(status, headers, exc_info=None):
            status_holder.append(status)

        with self.connection.execute_wrapper(timed_sql):
            started = time.perf_counter()
            response = self.handler(environ, start_response)
            try:
                b"".join(response)
            finally:
                response.close()  # request_finished, as a real server would send it
            elapsed = time.perf_counter() - started
        return int(status_holder[0].split()[0]), elapsed, sql[0]

    def count_queries(self, url: str) -> int:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as ctx:
            self.get(url)
        return len(ctx.captured_queries)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def _cursor(values: list) -> str:
    """The directory's cursor for (display_name, id), as common.pagination makes it."""
    try:
        from common.pagination import _encode

        return _encode(values)
    except ImportError:  # pragma: no cover - only if pagination changes its internals
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def build_workload(rng: random.Random) -> dict[str, list[str]]:
    """URLs per page type, with parameters drawn from the generated company."""
    from urllib.parse import urlencode

    from expertise.models import Interest, Skill
    from profiles.models import Department, Location, Profile
    from projects.models import Project

    active = Profile.objects.filter(user__is_active=True)
    ids = list(active.values_list("id", flat=True))
    people = rng.sample(ids, min(300, len(ids)))
    names = list(active.filter(id__in=people[:150]).values_list("display_name", flat=True))
    departments = list(Department.objects.values_list("id", flat=True))
    locations = list(Location.objects.values_list("id", flat=True))
    # Popular skills (many people: the slow case) and a few rarer ones.
    skills = list(Skill.objects.order_by("id").values_list("slug", "name")[:300])
    common_skills = skills[:40]
    total = len(ids)
    deep_offsets = [rng.randint(total // 3, max(total // 3, total - 40)) for _ in range(50)]
    deep_rows = [
        active.order_by("display_name", "id").values_list("display_name", "id")[o] for o in deep_offsets
    ]
    projects = list(Project.objects.order_by("?").values_list("id", flat=True)[:200])

    def q(path: str, **params) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    first_names = [n.split()[0] for n in names]
    last_names = [n.split()[-1] for n in names]
    return {
        "directory": ["/people/"],
        "directory ?department": [q("/people/", department=d) for d in departments],
        "directory ?location": [q("/people/", location=loc) for loc in locations],
        "directory ?skill": [q("/people/", skill=slug) for slug, _ in common_skills],
        "directory ?dept+skill": [
            q("/people/", department=rng.choice(departments), skill=rng.choice(common_skills)[0])
            for _ in range(50)
        ],
        "directory deep cursor": [q("/people/", cursor=_cursor([n, i])) for n, i in deep_rows],
        "profile": [f"/people/{pid}/" for pid in people],
        "org chart": [f"/people/{pid}/org/" for pid in people[:100]],
        "search: names": [q("/search/", q=n) for n in names[:50] + first_names[:25] + last_names[:25]],
        "search: skills": [q("/search/", q=name) for _, name in rng.sample(skills, min(100, len(skills)))],
        "search: typos": [q("/search/", q=t) for t in TYPOS],
        "search: projects": [q("/search/", q=w) for w in PROJECT_WORDS],
        "experts": [q("/search/experts/", topic=name) for _, name in common_skills]
        + [
            q("/search/experts/", topic=t)
            for t in ["kubernetes", "machine learning", "negotiation", "kubernets"]
        ],
        "project": [f"/projects/{p}/" for p in projects],
        # The skills and interests clouds, and one page of a tag's people (the most listed: the slow case).
        "skills index": ["/skills/"],
        "skill page": [f"/skills/{slug}/" for slug, _ in common_skills],
        "interest page": [i.get_absolute_url() for i in Interest.objects.order_by("-people_count")[:20]],
    }


def measure_page(
    server: Server, name: str, urls: list[str], *, requests: int, warmup: int, rng: random.Random
) -> PageResult:
    result = PageResult(name=name, path_example=urls[0] if urls else "")
    result.target_ms = next((ms for key, ms in TARGETS_MS.items() if name.startswith(key)), None)
    if not urls or not _resolves(urls[0]):
        result.available, result.note = False, "URL does not resolve (page not built yet)"
        return result
    server.last_error = None
    status, _, _ = server.get(urls[0])
    if status == 404:
        result.available, result.note = False, "404 (page not built yet?)"
        return result
    for _ in range(warmup):
        server.get(rng.choice(urls))
    times, sql_times, statuses = [], [], {}
    for k in range(requests):
        status, elapsed, sql = server.get(urls[k % len(urls)])
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        times.append(elapsed * 1000)
        sql_times.append(sql * 1000)
    counts = [server.count_queries(u) for u in rng.sample(urls, min(5, len(urls)))]
    result.requests = requests
    result.statuses = statuses
    result.p50_ms = round(statistics.median(times), 1)
    result.p95_ms = round(_percentile(times, 0.95), 1)
    result.mean_ms = round(statistics.fmean(times), 1)
    result.max_ms = round(max(times), 1)
    result.sql_p50_ms = round(statistics.median(sql_times), 1)
    result.queries_min, result.queries_max = min(counts), max(counts)
    if any(s != "200" for s in statuses):
        result.note = "some requests did not answer 200"
        if server.last_error:
            result.note += ": " + server.last_error.splitlines()[0][:300]
            result.error_traceback = server.last_traceback
    return result


def target_verdict(r: PageResult) -> str:
    if r.target_ms is None or r.p50_ms is None:
        return ""
    return "  OK" if r.p50_ms <= r.target_ms else f"  OVER {r.target_ms:.0f} ms target"


def print_table(
    results: list[PageResult], *, verdict: Callable[[PageResult], str] = target_verdict, width: int = 24
) -> None:
    """One row per page: requests, p50/p95/max, SQL time, queries per request, statuses, and the
    verdict against the page's target (the feed and search benches pass their own targets)."""
    columns = f"{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'SQL p50':>9}{'queries':>9}  status"
    header = f"{'page':<{width}}{columns}"
    print(header)
    print("-" * len(header))
    for r in results:
        if not r.available:
            print(f"{r.name:<{width}}{'':>5}  not available: {r.note}")
            continue
        queries = f"{r.queries_min}" if r.queries_min == r.queries_max else f"{r.queries_min}-{r.queries_max}"
        status = ",".join(f"{k}x{v}" for k, v in sorted(r.statuses.items()))
        print(
            f"{r.name:<{width}}{r.requests:>5}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}{r.max_ms:>9.1f}"
            f"{r.sql_p50_ms:>9.1f}{queries:>9}  {status}{verdict(r)}"
        )
        if r.note:
            print(f"{'':<{width}}  note: {r.note}")


def apply_pending_migrations() -> None:
    """Code changed since generate.py ran: bring the schema up to date so pages do not fail on it.

    Tables added this way start empty (a new feature has no data yet), which the figures reflect.
    """
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan)
        print(f"Applying {len(plan)} migration(s) added since the data was generated: {names}")
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except Exception as exc:
            raise SystemExit(
                f"Could not bring the benchmark database up to date ({str(exc).strip()}). A migration was "
                "probably renamed or edited since the data was generated: run generate.py --fresh again."
            ) from exc


def company_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "profiles": "profiles_profile",
        "skills": "expertise_skill",
        "profile_skills": "expertise_profileskill",
        "endorsements": "expertise_endorsement",
        "projects": "projects_project",
        "project_members": "projects_projectmember",
        "posts": "feed_post",
    }
    with connection.cursor() as cursor:
        out = {}
        for key, table in tables.items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            out[key] = cursor.fetchone()[0]
    return out


def django_for_bench(*, database: str, server: str, migrate: bool) -> None:
    """Django on the scratch database, production settings, static files unhashed; migrated if asked."""
    # WhiteNoise warns that STATIC_ROOT is missing: the benchmark does not serve static files.
    warnings.filterwarnings("ignore", message="No directory at")
    configure_django(database_url(database, server))
    from django.conf import settings
    from django.test.utils import override_settings

    # Production's manifest storage needs `collectstatic`; plain storage renders the same pages.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    if migrate:
        apply_pending_migrations()


def results_write(output: str, *, database: str, load_before: tuple[float, ...], **figures: object) -> None:
    """Writes a bench's figures as JSON with when, where and how busy the machine was."""
    load_after = os.getloadavg()
    print(f"\nLoad average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    measured = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database,
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }
    Path(output).write_text(json.dumps({**measured, **figures}, indent=2) + "\n")
    print(f"Wrote {output}")


def bench_parser(
    doc: str | None,
    *,
    database: str,
    results: Path,
    requests: int = 200,
    warmup: int = 20,
    per: str = "page type",
) -> argparse.ArgumentParser:
    """The options every measuring bench takes: which database and server, how many timed requests, where
    the figures go, and whether to apply migrations added since the data was generated."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=database)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", DEFAULT_SERVER))
    parser.add_argument("--requests", type=int, default=requests, help=f"timed requests per {per}")
    parser.add_argument("--warmup", type=int, default=warmup)
    parser.add_argument("--output", default=str(results))
    parser.add_argument(
        "--no-migrate", action="store_true", help="do not apply migrations added since the data was generated"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, database=DEFAULT_DATABASE, results=RESULTS)
    parser.add_argument("--only", nargs="*", help="page names starting with these words")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    django_for_bench(database=args.database, server=args.server, migrate=not args.no_migrate)
    from profiles.models import Profile

    counts = company_counts()
    if not counts["profiles"]:
        print(f"{args.database} has no people: run bench/people/generate.py first.", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    viewer = (
        Profile.objects.filter(user__is_active=True, manager__isnull=False)
        .select_related("user")
        .order_by("id")[counts["profiles"] // 2 :]
        .first()
    )
    print(f"Measuring {args.database}: {counts['profiles']:,} people, {counts['projects']:,} projects, "
          f"{counts['posts']:,} posts; signed in as {viewer.display_name} (#{viewer.id})")  # fmt: skip
    load_before = os.getloadavg()
    if load_before[0] > (os.cpu_count() or 1):
        print(
            f"Warning: load average {load_before[0]:.1f} on {os.cpu_count()} cores; times will be inflated."
        )
    server = Server(viewer.user)
    workload = build_workload(rng)
    results = []
    for name, urls in workload.items():
        if args.only and not any(name.startswith(word) for word in args.only):
            continue
        started = time.perf_counter()
        result = measure_page(server, name, urls, requests=args.requests, warmup=args.warmup, rng=rng)
        results.append(result)
        took = time.perf_counter() - started
        shown = f"p50 {result.p50_ms} ms" if result.available else "not available"
        print(f"  {name:<24} {shown} ({took:.0f} s)", flush=True)
    print()
    print_table(results)
    results_write(
        args.output,
        database=args.database,
        load_before=load_before,
        company=counts,
        requests_per_page=args.requests,
        targets_ms_p50=TARGETS_MS,
        pages=[asdict(r) for r in results],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
