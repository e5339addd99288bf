"""Content search benchmark: server time and SQL queries of /search/ on the feed benchmark's data.

    .venv/bin/python bench/search/measure.py                              # hive_feedbench
    .venv/bin/python bench/search/measure.py --database hive_searchbench  # a smaller copy of your own

Runs on a database made by bench/feed/generate.py (it never generates, drops or changes one, apart from
applying migrations added since, as bench/feed/measure.py does). Signed in as that benchmark's viewer
(in 10 groups, some private), it times the whole search page, people, skills and projects included,
for one-word, three-word, misspelt and filtered queries, through Django's WSGI handler in this
process (bench.people.measure.Server). Then it times what a post's search indexes add to posting:
feed.services.post_create with and without them, each run in a transaction rolled back.
Prints a table and writes bench/search/results.json.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.feed.generate import DEFAULT_DATABASE  # noqa: E402
from bench.feed.measure import data_counts, find_viewer, print_table  # noqa: E402
from bench.people.measure import Server, bench_parser, django_for_bench, measure_page, results_write  # noqa: E402

RESULTS = Path(__file__).with_name("results.json")
# The targets for a content search: (median, 95th percentile) server time.
TARGET_MS = (100.0, 250.0)
# Words bench/people/vocabulary.py and bench/feed/generate.py write into posts and comments.
ONE_WORD = ["workshop", "hiring", "kubernetes", "milestone", "conference", "python", "terraform", "slides"]
THREE_WORDS = [
    "lessons learned migrating",
    "office hours questions",
    "debug nasty issue",
    "reading group month",
    "recommended course budget",
]
TYPOS = ["kubernets", "pyhton", "terrafrom", "workshp", "confrence"]


class CpuServer(Server):
    """Server that also keeps each request's CPU time in this process (time.process_time: Django,
    the view, the templates, the driver; not PostgreSQL's work, which is another process). On a
    busy machine it moves far less than the wall time, which includes waiting for a core."""

    def __init__(self, user) -> None:
        super().__init__(user)
        self.cpu_ms: list[float] = []

    def get(self, url: str) -> tuple[int, float, float]:
        started = time.process_time()
        try:
            return super().get(url)
        finally:
            self.cpu_ms.append((time.process_time() - started) * 1000)


def build_workload(viewer) -> dict[str, list[str]]:
    from communities.models import Community

    groups = list(
        Community.objects.filter(memberships__profile=viewer)
        .order_by("-member_count")
        .values_list("slug", flat=True)
    )[:3]
    handle = viewer.user.email.split("@")[0]
    filtered = [
        "kubernetes is:question",
        "python is:unanswered",
        "workshop after:2026-01-01",
        f"hiring @{handle}",
        *[f"slides in:{slug}" for slug in groups],
    ]

    def q(text: str) -> str:
        return "/search/?" + urlencode({"q": text})

    return {
        "one word": [q(w) for w in ONE_WORD],
        "three words": [q(w) for w in THREE_WORDS],
        "typo": [q(w) for w in TYPOS],
        "filtered": [q(w) for w in filtered],
    }


def measure_indexing(viewer, *, posts: int, rounds: int) -> dict[str, float]:
    """What content search adds to posting: feed.services.post_create with the trigger that fills
    feed_post.search_vector and its GIN index (search/migrations/0007), and without them.

    `rounds` alternating rounds (with then without, then the other way round) of `posts` posts each,
    every round in a transaction rolled back (the "without" ones drop the trigger and the index
    inside it), so both sides meet the same load. Times the whole call and, apart, the INSERT into
    feed_post (where the trigger runs and the index is written), which the rest of posting's queries
    do not blur. Medians per side, and the median of the rounds' differences with its quartiles.
    """
    from django.db import connection, transaction

    from feed.services import post_create

    rng = random.Random(3)
    words = ONE_WORD + " ".join(THREE_WORDS).split()

    def run(drop: bool) -> tuple[list[float], list[float]]:
        calls, inserts = [], []

        def insert_timer(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                if sql.startswith('INSERT INTO "feed_post"'):
                    inserts.append((time.perf_counter() - started) * 1000)

        with transaction.atomic(), connection.execute_wrapper(insert_timer):
            if drop:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DROP TRIGGER IF EXISTS feed_post_search_vector ON feed_post; "
                        "DROP INDEX IF EXISTS search_post_vector"
                    )
            for _ in range(posts):
                body = " ".join(rng.choice(words) for _ in range(30))
                started = time.perf_counter()
                post_create(author=viewer, body=body)
                calls.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)  # nothing written, the trigger and index back as they were
        return calls, inserts

    run(drop=False), run(drop=True)  # warm up
    sides: dict[bool, tuple[list[float], list[float]]] = {False: ([], []), True: ([], [])}
    round_differences, insert_differences = [], []
    for n in range(rounds):
        medians = {}
        for drop in (False, True) if n % 2 == 0 else (True, False):
            calls, inserts = run(drop=drop)
            sides[drop][0].extend(calls)
            sides[drop][1].extend(inserts)
            medians[drop] = (statistics.median(calls), statistics.median(inserts))
        round_differences.append(medians[False][0] - medians[True][0])
        insert_differences.append(medians[False][1] - medians[True][1])

    def quartiles(values: list[float]) -> list[float]:
        return [round(q, 2) for q in statistics.quantiles(values, n=4)] if len(values) > 1 else []

    (with_calls, with_inserts), (without_calls, without_inserts) = sides[False], sides[True]
    return {
        "posts_per_side": len(with_calls),
        "rounds": rounds,
        "post_create_ms_with_index": round(statistics.median(with_calls), 2),
        "post_create_ms_without_index": round(statistics.median(without_calls), 2),
        "post_create_mean_ms_with_index": round(statistics.fmean(with_calls), 2),
        "post_create_mean_ms_without_index": round(statistics.fmean(without_calls), 2),
        "insert_ms_with_index": round(statistics.median(with_inserts), 3),
        "insert_ms_without_index": round(statistics.median(without_inserts), 3),
        "insert_mean_ms_with_index": round(statistics.fmean(with_inserts), 3),
        "insert_mean_ms_without_index": round(statistics.fmean(without_inserts), 3),
        "index_cost_ms": round(statistics.median(round_differences), 2),
        "index_cost_ms_quartiles": quartiles(round_differences),
        "insert_index_cost_ms": round(statistics.median(insert_differences), 3),
        "insert_index_cost_ms_quartiles": quartiles(insert_differences),
    }


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(
        __doc__, database=DEFAULT_DATABASE, results=RESULTS, requests=100, warmup=10, per="kind of query"
    )
    parser.add_argument(
        "--posts", type=int, default=20, help="posts created (and rolled back) per indexing round and side"
    )
    parser.add_argument("--rounds", type=int, default=10, help="alternating indexing rounds (0: none)")
    parser.add_argument("--only", nargs="*", help="kinds of query to time (default: all)")
    args = parser.parse_args(argv)

    django_for_bench(database=args.database, server=args.server, migrate=not args.no_migrate)
    viewer = find_viewer()
    if viewer is None:
        print(f"{args.database} has no benchmark viewer: run bench/feed/generate.py first.", file=sys.stderr)
        return 2
    counts = data_counts()
    print(
        f"Measuring search on {args.database}: ~{counts['posts']:,} posts, ~{counts['comments']:,} comments, "
        f"~{counts['profiles']:,} people; signed in as #{viewer.pk}"
    )
    load_before = os.getloadavg()
    rng = random.Random(7)
    server = CpuServer(viewer.user)
    results = []
    cpu: dict[str, dict[str, float]] = {}
    for name, urls in build_workload(viewer).items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        server.cpu_ms = []
        result = measure_page(server, name, urls, requests=args.requests, warmup=args.warmup, rng=rng)
        result.target_ms = TARGET_MS[0]
        results.append(result)
        took = time.perf_counter() - started
        # measure_page's first request checks the page exists, then the warm-up, then the timed ones.
        timed = server.cpu_ms[1 + args.warmup : 1 + args.warmup + args.requests]
        if timed:
            cpu[name] = {
                "p50_ms": round(statistics.median(timed), 1),
                "mean_ms": round(statistics.fmean(timed), 1),
            }
        print(
            f"  {name:<14} p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, "
            f"CPU p50 {cpu.get(name, {}).get('p50_ms')} ms ({took:.0f} s)"
        )
    indexing = measure_indexing(viewer, posts=args.posts, rounds=args.rounds) if args.rounds else {}
    print()
    print_table(results)
    if indexing:
        i = indexing
        print(
            f"\npost_create: {i['post_create_ms_with_index']} ms with the search trigger and index, "
            f"{i['post_create_ms_without_index']} ms without (medians of {i['posts_per_side']}); "
            f"difference per round {i['index_cost_ms']} ms (quartiles {i['index_cost_ms_quartiles']}). "
            f"The INSERT alone: {i['insert_ms_with_index']} vs {i['insert_ms_without_index']} ms, "
            f"difference per round {i['insert_index_cost_ms']} ms "
            f"(quartiles {i['insert_index_cost_ms_quartiles']})"
        )
    over = [r.name for r in results if r.available and (r.p50_ms > TARGET_MS[0] or r.p95_ms > TARGET_MS[1])]
    if results:
        verdict = "over for " + ", ".join(over) if over else "met"
        print(f"Targets {TARGET_MS[0]:.0f} ms p50 / {TARGET_MS[1]:.0f} ms p95: {verdict}")
    results_write(
        args.output,
        database=args.database,
        load_before=load_before,
        data_estimated_rows=counts,
        requests_per_query_kind=args.requests,
        targets_ms={"p50": TARGET_MS[0], "p95": TARGET_MS[1]},
        pages=[asdict(r) for r in results],
        cpu_per_request=cpu,
        indexing=indexing,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
