"""Times feed.selectors.posts_newer_than_count (the prompt's count) on the feed bench's data.

    .venv/bin/python bench/http/count.py --database hive_feedbench [--code DIR] [--repeat 21]

For the viewer bench/feed/generate.py made: Home and All company, with the top post such that 0
and 50 posts are newer. `--code` times another checkout's selector (e.g. `git archive` of main).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="hive_feedbench")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--code", default=str(ROOT))
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    os.chdir(args.code)
    from bench.people.generate import configure_django

    configure_django(f"{args.server.rstrip('/')}/{args.database}")
    import django

    django.setup()
    from bench.feed.measure import find_viewer
    from feed import selectors

    viewer = find_viewer()
    newest_first = ("-created_at", "-id")
    home = list(selectors.home_posts(viewer=viewer).order_by(*newest_first).values_list("id", flat=True)[:51])
    every = list(
        selectors.readable_posts(viewer=viewer).order_by(*newest_first).values_list("id", flat=True)[:51]
    )
    print(f"{args.code}, database {args.database}, load average {os.getloadavg()[0]:.1f}")
    for label, on_home, after in [
        ("home, 0 new", True, home[0]),
        ("home, 50 new", True, home[50]),
        ("all company, 0 new", False, every[0]),
        ("all company, 50 new", False, every[50]),
    ]:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            count = selectors.posts_newer_than_count(viewer=viewer, post_id=after, home=on_home)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"  {label:<20} count {count:<3} median {statistics.median(times):8.1f} ms"
            f"  min {min(times):8.1f}  max {max(times):8.1f}  (n={len(times)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
