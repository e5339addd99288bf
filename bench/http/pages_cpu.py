"""Issue #18's pages in one process, for a machine too loaded for run.py --pages: CPU ms per request.

    cd <checkout> && PYTHONPATH=.:<this folder> DJANGO_SETTINGS_MODULE=hive_bench_settings \\
        DATABASE_URL=... REDIS_URL=... DJANGO_SECRET_KEY=... DJANGO_DEBUG=false \\
        DJANGO_ALLOWED_HOSTS=testserver python <this folder>/pages_cpu.py LABEL N [PAGE ...] >> runs.jsonl

PAGE names (as below: "expert finder", "directory"...) measure only those, beside the trivial view.
With HIVE_BENCH_PROFILE=DIR, each page's N requests are also profiled (cProfile) into DIR/<page>.prof.

Django's test client (no HTTP), the feed bench's viewer and the pages run.py --pages finds; per page
the median wall and CPU milliseconds of N requests (time.process_time: this process only, so waiting
for a core or for PostgreSQL is not counted). Progress on stderr, one JSON line on stdout. Alternate
checkouts (before, after, before, after) and compare CPU ms; the README says how it was used.
"""

import cProfile
import json
import os
import statistics
import sys
import time

import django


def main() -> None:
    sys.path.insert(0, os.getcwd())
    django.setup()
    from django.test import Client

    from bench.feed.measure import find_viewer
    from communities.models import Membership
    from feed.selectors import readable_posts

    viewer = find_viewer()
    if viewer is None:
        raise SystemExit("No viewer: build the feed bench first (bench/feed/generate.py).")
    group = Membership.objects.filter(profile=viewer).select_related("community").first().community
    readable = readable_posts(viewer=viewer).filter(community__isnull=True)
    typical = readable.filter(comment_count__gte=3, comment_count__lte=10).order_by("-id").first()
    thread = readable.filter(comment_count__gte=300).order_by("comment_count").first()
    pages = [
        ("trivial", "/bench/ok/"), ("Home", "/"), ("All company", "/all/"), ("Questions", "/questions/"),
        ("group feed", group.get_absolute_url()), ("post page, typical", typical.get_absolute_url()),
        ("post page, 300-comment thread", thread.get_absolute_url()),
        ("search 'python'", "/search/?q=python"), ("#tag ruby", "/tags/ruby/"),
        ("expert finder", "/search/experts/?topic=python"), ("@mention suggest", "/mentions/suggest/?q=ann"),
        ("colleague suggest", "/people/suggest/?q=ann"), ("directory", "/people/"), ("skills", "/skills/"),
    ]  # fmt: skip
    wanted = set(sys.argv[3:])
    unknown = wanted - {name for name, _ in pages}
    if unknown:
        raise SystemExit(f"No such page: {', '.join(sorted(unknown))}")
    if wanted:
        pages = [(name, path) for name, path in pages if name == "trivial" or name in wanted]
    profile_dir = os.environ.get("HIVE_BENCH_PROFILE")
    client = Client()
    client.force_login(viewer.user)
    n = int(sys.argv[2])
    out: dict = {"label": sys.argv[1], "load": os.getloadavg(), "pages": {}}
    for name, path in pages:
        for _ in range(2):  # warm
            status = client.get(path).status_code
            assert status == 200, (name, status)
        walls, cpus = [], []
        profiler = cProfile.Profile() if profile_dir else None
        for _ in range(n):
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            client.get(path)
            if profiler is not None:
                profiler.disable()
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        if profiler is not None and profile_dir:
            profiler.dump_stats(os.path.join(profile_dir, name.replace(" ", "_").replace("'", "") + ".prof"))
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        out["pages"][name] = {"wall": wall, "cpu": cpu}
        print(f"{name:32} wall {wall:8.1f} cpu {cpu:7.2f}", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
