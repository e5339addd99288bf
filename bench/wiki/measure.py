"""Wiki search benchmark: how long the wiki part of a search takes with many pages.

    .venv/bin/python bench/wiki/measure.py                       # hive_wikibench, 20,000 pages
    .venv/bin/python bench/wiki/measure.py --pages 50000 --requests 50

Works on a scratch database of its own (made and migrated if missing; refuses the shared ones): one
company space and GROUPS groups' spaces (a fifth private), PAGES pages of WORDS words each written
from a fixed vocabulary, added until the database holds --pages. Signed in as someone in a few of the
groups, it times search.selectors.content_search (which searches posts, comments and wiki pages
the viewer may read; this database has no posts) for one-word, three-word, title and filtered
queries, and counts its queries. Prints a table and writes bench/wiki/results.json.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import _recreate_database, configure_django, database_url  # noqa: E402
from bench.people.measure import bench_parser, results_write  # noqa: E402

DEFAULT_DATABASE = "hive_wikibench"
REFUSED = {"hive", "postgres", "template0", "template1", "hive_feedbench", "hive_bench"}
RESULTS = Path(__file__).with_name("results.json")
GROUPS = 200
WORDS = 300  # words per page: a page of how-to, about a printed page
# The targets for a content search, which includes the wiki: (median, 95th percentile).
TARGET_MS = (100.0, 250.0)
TOPICS = [
    "onboarding", "expenses", "travel", "laptop", "vpn", "security", "incident", "release", "roadmap",
    "hiring", "interview", "payroll", "benefits", "pension", "holiday", "parental", "office", "parking",
    "kubernetes", "terraform", "python", "postgres", "monitoring", "oncall", "backup", "deploy", "budget",
    "procurement", "contract", "privacy", "retention", "accessibility", "design", "branding", "pricing",
]  # fmt: skip
FILLER = (
    "the a to of and in for on with how when who what where why please team our your this that each "
    "page step first then after before check ask open close update review approve request form link "
    "guide policy process owner contact channel document template example note rule time week month"
).split()
QUERIES = {
    "one word": ["expenses", "kubernetes", "holiday", "privacy", "deploy"],
    "three words": ["travel expenses policy", "oncall incident review", "laptop vpn setup"],
    "title": ["Onboarding guide 17", "Pricing process 3"],
    "filtered": ["budget in:{group}", "benefits after:2026-01-01", "parking @wiki.bench"],
}


def populate(*, pages: int, seed: int = 7) -> None:
    """Adds pages (and the groups and author they need) until the database holds `pages`."""
    from django.db import transaction

    from communities.models import Community, Membership
    from profiles.models import Profile, User
    from wiki.models import Page, Space

    rng = random.Random(seed)
    user, _ = User.objects.get_or_create(email="wiki.bench@example.com")
    author, _ = Profile.objects.get_or_create(user=user, defaults={"display_name": "Wiki Bench"})
    if Community.objects.count() < GROUPS:
        Community.objects.bulk_create(
            Community(
                name=f"Bench group {n}",
                slug=f"bench-group-{n}",
                created_by=author,
                visibility="private" if n % 5 == 0 else "public",
            )
            for n in range(Community.objects.count(), GROUPS)
        )
        groups = list(Community.objects.order_by("id")[:6])
        Membership.objects.bulk_create(
            [Membership(community=g, profile=author) for g in groups], ignore_conflicts=True
        )
    if not Space.objects.filter(community__isnull=True).exists():
        Space.objects.create(community=None)
    Space.objects.bulk_create(
        [Space(community=c) for c in Community.objects.filter(wiki_space__isnull=True)], ignore_conflicts=True
    )
    spaces = list(Space.objects.order_by("id"))
    have = Page.objects.count()
    batch = 2000
    for start in range(have, pages, batch):
        rows = []
        for n in range(start, min(start + batch, pages)):
            topic, other = rng.choice(TOPICS), rng.choice(TOPICS)
            title = f"{topic.capitalize()} {rng.choice(['guide', 'policy', 'process', 'notes'])} {n}"
            body = " ".join(
                rng.choice(FILLER) if rng.random() < 0.8 else rng.choice([topic, other]) for _ in range(WORDS)
            )
            rows.append(
                Page(
                    space=rng.choice(spaces),
                    title=title,
                    body=body,
                    slug=f"page-{n}",
                    created_by=author,
                    author=author,
                )
            )
        with transaction.atomic():
            Page.objects.bulk_create(rows)
        print(f"  {min(start + batch, pages):,} pages")


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(
        __doc__, database=DEFAULT_DATABASE, results=RESULTS, requests=50, warmup=5, per="query kind"
    )
    parser.add_argument("--pages", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.database in REFUSED:
        parser.error(f"refusing to use {args.database!r}: give the benchmark its own scratch database")
    _recreate_database(args.database, args.server, fresh=False)
    configure_django(database_url(args.database, args.server))
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.models import Community
    from profiles.models import Profile
    from search.query import query_parse
    from search.selectors import content_search

    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    populate(pages=args.pages)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wiki_page")
    viewer = Profile.objects.get(user__email="wiki.bench@example.com")
    group = Community.objects.filter(memberships__profile=viewer).order_by("id").first()
    load_before = os.getloadavg()
    rng = random.Random(3)
    figures = []
    print(f"Wiki search on {args.database}: {args.pages:,} pages, {GROUPS} groups")
    for kind, queries in QUERIES.items():
        queries = [q.format(group=group.slug if group else "none") for q in queries]
        for q in queries[: args.warmup]:
            content_search(parsed=query_parse(q), viewer=viewer)
        times, counts, found = [], set(), []
        for _ in range(args.requests):
            q = rng.choice(queries)
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                result = content_search(parsed=query_parse(q), viewer=viewer)
                times.append((time.perf_counter() - started) * 1000)
            counts.add(len(ctx))
            found.append(result.wiki_count)
        times.sort()
        row = {
            "name": kind,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": f"{min(counts)}-{max(counts)}",
            "pages_found_median": statistics.median(found),
        }
        figures.append(row)
        print(
            f"  {kind:<12} p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms  queries {row['queries']}  "
            f"found {row['pages_found_median']}"
        )
    results_write(
        args.output,
        database=args.database,
        load_before=load_before,
        pages=args.pages,
        requests_per_query_kind=args.requests,
        targets_ms={"p50": TARGET_MS[0], "p95": TARGET_MS[1]},
        kinds=figures,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
