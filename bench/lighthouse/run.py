"""Lighthouse on Hive's pages as a signed-in employee meets them: issue 18's browser figures.

    .venv/bin/python bench/lighthouse/run.py --seed          # create and seed the demo database first
    .venv/bin/python bench/lighthouse/run.py --runs 5        # then as often as you like

Serves this checkout with gunicorn (2 sync workers, DEBUG off, the production static files from
`collectstatic`, compressed and hashed by WhiteNoise) on a demo company from `seed_demo`, signs in as
demo@example.com, and runs Lighthouse (its default mobile profile: throttled 4G and a 4x slower CPU)
on Home, a colleague's profile, search results and the kudos form. Prints the median of --runs runs
per page: the performance, accessibility and best-practices scores, and the cumulative layout shift,
largest contentful paint and total blocking time behind the performance score.

Needs Chromium and Lighthouse, outside the repository:
    apt-get install -y chromium
    npm install --prefix /tmp/lh --no-audit --no-fund lighthouse@12.2.3
    LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse CHROME_PATH=/usr/bin/chromium (the defaults)

Lighthouse's performance score depends on the machine's load: compare runs from the same session,
and read the load average printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "http"))
sys.path.insert(0, str(HERE.parent / "people"))

from measure import results_write  # noqa: E402
from run import SIGNED_IN_SESSION, bench_env, wait_up  # noqa: E402

CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    " --disable-sync --no-first-run"
)
# The demo employee, and the colleague whose profile is measured: the demo's moderator (a full profile).
SESSION_AND_PROFILE = (
    SIGNED_IN_SESSION
    + """
from django.contrib.auth import get_user_model
users = get_user_model().objects.select_related("profile")
print(session_key_for(users.get(email="demo@example.com")))
print(users.get(email="moderator@example.com").profile.get_absolute_url())
"""
)
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {
    "cumulative-layout-shift": ("CLS", "{:.3f}"),
    "largest-contentful-paint": ("LCP ms", "{:.0f}"),
    "total-blocking-time": ("TBT ms", "{:.0f}"),
}


def lighthouse_run(url: str, *, cookie: str) -> dict[str, float]:
    """One Lighthouse run of one page: its category scores (0-100) and metric values."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                os.environ.get("LIGHTHOUSE", "/tmp/lh/node_modules/.bin/lighthouse"), url,
                f"--extra-headers={json.dumps({'Cookie': cookie})}", f"--chrome-flags={CHROME_FLAGS}",
                "--output=json", f"--output-path={out.name}", "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )  # fmt: skip
        report = json.loads(Path(out.name).read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    if report["finalDisplayedUrl"] != url:
        raise SystemExit(f"{url} ended at {report['finalDisplayedUrl']}: is the session valid?")
    figures = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    figures.update({name: report["audits"][name]["numericValue"] for name in METRICS})
    return figures


def page_measure(url: str, *, cookie: str, runs: int) -> dict[str, float]:
    """The median of each figure over `runs` runs; a run Lighthouse could not trace is tried again."""
    rows: list[dict[str, float]] = []
    attempts = 0
    while len(rows) < runs and attempts < runs * 2:
        attempts += 1
        try:
            rows.append(lighthouse_run(url, cookie=cookie))
        except RuntimeError as exc:
            print(f"  (retrying: {exc})")
    if not rows:
        raise SystemExit(f"Lighthouse failed on {url} {attempts} times")
    return {name: statistics.median(row[name] for row in rows) for name in rows[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="hive_lighthouse")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--port", type=int, default=9210)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is shown)")
    parser.add_argument(
        "--seed", action="store_true", help="create, migrate and seed the demo database first"
    )
    parser.add_argument("--output", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)

    database_url = f"{args.server.rstrip('/')}/{args.database}"
    env = bench_env(database_url=database_url, redis_url=args.redis)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"  # production static files: no bench URLs needed
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    if args.seed:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=False)
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    session_key, profile_path = subprocess.run(
        [python, "-c", SESSION_AND_PROFILE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-2:]
    cookie = f"sessionid={session_key}"
    base = f"http://127.0.0.1:{args.port}"
    pages = {
        "Home": "/",
        "a colleague's profile": profile_path,
        "search results": "/search/?q=onboarding",
        "kudos form": "/kudos/give/",
    }
    load_before = os.getloadavg()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "config.wsgi:application", "--chdir", str(ROOT), "--workers", "2",
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_up(base + "/healthz", cookie=cookie)
        results = {}
        for name, path in pages.items():
            print(f"{name} ({path}): {args.runs} runs", flush=True)
            results[name] = page_measure(base + path, cookie=cookie, runs=args.runs)
    finally:
        server.terminate()
        server.wait(timeout=30)

    header = f"{'page':<24}" + "".join(f"{c:>16}" for c in CATEGORIES)
    header += "".join(f"{label:>10}" for label, _ in METRICS.values())
    print("\n" + header)
    for name, figures in results.items():
        row = f"{name:<24}" + "".join(f"{figures[c]:>16.0f}" for c in CATEGORIES)
        row += "".join(f"{fmt.format(figures[m]):>10}" for m, (_, fmt) in METRICS.items())
        print(row)
    results_write(args.output, database=args.database, load_before=load_before, runs=args.runs, pages=results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
