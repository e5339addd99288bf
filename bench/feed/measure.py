"""Feed scale benchmark, step 2: server time and SQL queries of the feed pages on the generated data.

    .venv/bin/python bench/feed/measure.py                   # hive_feedbench, 200 requests per page
    .venv/bin/python bench/feed/measure.py --requests 50 --only home

Signed in as the viewer bench/feed/generate.py made (follows 50 people and 3 tags, in 10 groups).
Requests go through Django's WSGI handler in this process, timed from the call to the last byte of
the body (bench.people.measure.Server); queries are counted in separate, untimed requests.
Prints a table and writes bench/feed/results.json.
"""

from __future__ import annotations

import os
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.feed.generate import DEFAULT_DATABASE  # noqa: E402
from bench.people.measure import (  # noqa: E402
    PageResult,
    Server,
    bench_parser,
    django_for_bench,
    measure_page,
    results_write,
)
from bench.people.measure import print_table as people_print_table  # noqa: E402

RESULTS = Path(__file__).with_name("results.json")
# The targets for the home feed on PostgreSQL: (median, 95th percentile) server time.
TARGETS_MS = {"home": (50.0, 150.0)}


def find_viewer():
    """The person generate.py set up: the one who follows the most people."""
    from django.db.models import Count

    from feed.models import FollowPerson
    from profiles.models import Profile

    top = (
        FollowPerson.objects.values("follower")
        .annotate(n=Count("id"))
        .order_by("-n", "follower")
        .values_list("follower", flat=True)
        .first()
    )
    if top is None:
        return None
    return Profile.objects.select_related("user").get(pk=top)


def build_workload(viewer, rng: random.Random) -> dict[str, list[str]]:
    from communities.models import Community
    from feed import selectors
    from feed.models import Post

    first = selectors.home_feed_page(viewer=viewer, cursor=None)
    all_first = selectors.company_feed_page(viewer=viewer, cursor=None)
    groups = list(
        Community.objects.filter(memberships__profile=viewer)
        .order_by("-member_count")
        .values_list("slug", flat=True)
    )
    # Long threads (hundreds of comments) that the viewer may read: the post page's slow case.
    threads = list(
        selectors.readable_posts(viewer=viewer)
        .order_by("-comment_count", "id")
        .values_list("id", flat=True)[:20]
    )
    ordinary = list(Post.objects.filter(community__isnull=True, removed_at__isnull=True).order_by("?")[:50])
    return {
        "home": ["/"],
        "home page 2 (cursor)": [f"/?{urlencode({'cursor': first.next_cursor})}"]
        if first and first.next_cursor
        else [],
        "all company": ["/all/"],
        "all company page 2": [f"/all/?{urlencode({'cursor': all_first.next_cursor})}"]
        if all_first.next_cursor
        else [],
        "group feed": [f"/groups/{slug}/" for slug in groups],
        "post page (long thread)": [f"/posts/{pid}/" for pid in threads],
        "post page (typical)": [f"/posts/{p.pk}/" for p in ordinary],
        # Open questions, those tagged with the viewer's skills first.
        "questions": ["/questions/"],
    }


def data_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "profiles": "profiles_profile",
        "groups": "communities_community",
        "memberships": "communities_membership",
        "posts": "feed_post",
        "comments": "feed_comment",
        "reactions": "feed_reaction",
        "post_tags": "feed_posttag",
    }
    out = {}
    with connection.cursor() as cursor:
        for key, table in tables.items():
            # Estimates from VACUUM ANALYZE: exact counts of millions of rows would take seconds each.
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            row = cursor.fetchone()
            out[key] = int(row[0]) if row else 0
    return out


def viewer_shape(viewer) -> dict[str, int]:
    from communities.models import Membership
    from feed.models import FollowPerson, FollowTag

    return {
        "follows_people": FollowPerson.objects.filter(follower=viewer).count(),
        "follows_tags": FollowTag.objects.filter(follower=viewer).count(),
        "groups": Membership.objects.filter(profile=viewer).count(),
    }


def verdict(r: PageResult) -> str:
    targets = next(
        (t for key, t in TARGETS_MS.items() if r.name == key or r.name.startswith(key + " ")), None
    )
    if not r.available or targets is None:
        return ""
    p50, p95 = targets
    ok = r.p50_ms <= p50 and r.p95_ms <= p95
    return "  OK" if ok else f"  OVER target ({p50:.0f} ms p50, {p95:.0f} ms p95)"


def print_table(results: list[PageResult]) -> None:
    people_print_table(results, verdict=verdict, width=26)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, database=DEFAULT_DATABASE, results=RESULTS)
    parser.add_argument("--only", nargs="*", help="page names starting with these words")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    django_for_bench(database=args.database, server=args.server, migrate=not args.no_migrate)
    viewer = find_viewer()
    if viewer is None:
        print(f"{args.database} has no benchmark viewer: run bench/feed/generate.py first.", file=sys.stderr)
        return 2
    counts = data_counts()
    shape = viewer_shape(viewer)
    print(
        f"Measuring {args.database}: ~{counts['profiles']:,} people, ~{counts['groups']:,} groups, "
        f"~{counts['posts']:,} posts, ~{counts['comments']:,} comments, ~{counts['reactions']:,} reactions; "
        f"signed in as {viewer.display_name} (#{viewer.pk}: follows {shape['follows_people']} people, "
        f"{shape['follows_tags']} tags, in {shape['groups']} groups)"
    )
    load_before = os.getloadavg()
    if load_before[0] > (os.cpu_count() or 1):
        print(
            f"Warning: load average {load_before[0]:.1f} on {os.cpu_count()} cores; times will be inflated."
        )
    rng = random.Random(args.seed)
    server = Server(viewer.user)
    workload = build_workload(viewer, rng)
    results = []
    for name, urls in workload.items():
        if args.only and not any(name.startswith(word) for word in args.only):
            continue
        started = time.perf_counter()
        result = measure_page(server, name, urls, requests=args.requests, warmup=args.warmup, rng=rng)
        result.target_ms = next((t[0] for key, t in TARGETS_MS.items() if name == key), None)
        results.append(result)
        shown = f"p50 {result.p50_ms} ms, p95 {result.p95_ms} ms" if result.available else "not available"
        print(f"  {name:<26} {shown} ({time.perf_counter() - started:.0f} s)", flush=True)
    print()
    print_table(results)
    results_write(
        args.output,
        database=args.database,
        load_before=load_before,
        data_estimated_rows=counts,
        viewer={"profile_id": viewer.pk, **shape},
        requests_per_page=args.requests,
        targets_ms={k: {"p50": v[0], "p95": v[1]} for k, v in TARGETS_MS.items()},
        pages=[asdict(r) for r in results],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
