"""HTTP bench of the live poll: what one open tab costs, measured as a browser meets it.

    .venv/bin/python bench/http/run.py                       # this checkout, database hive_feedbench
    .venv/bin/python bench/http/run.py --code /tmp/before    # another checkout (e.g. `git archive`)

Starts gunicorn (2 sync workers, DEBUG off) on the given checkout with the bench's settings
(hive_bench_settings: Hive's plus a trivial signed-in view at /bench/ok/, which Hive's own URLs do
not have), signs in as the feed bench's viewer (bench/feed/generate.py), reads the top post id off
Home as the browser would, then runs wrk against the trivial view and the poll endpoints in turn,
the trivial view first and last. Prints req/s, the share of the trivial view, p50 and p99, and how
many idle open tabs (one poll per 30 s) the machine serves at half its capacity.

Which endpoints: a checkout with /live/ is polled there (with the ETag of its previous answer,
as static/js/live.js does: the idle case; and without one: the "something changed" case);
one without it is polled as its pages did: /new-posts/ every 30 s and /notifications/badge/
every 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
POLL_SECONDS = 30
# static/js/live.js: a tab nobody has touched for 5 minutes asks every 2 minutes (a hidden tab not at all).
LEFT_OPEN_POLL_SECONDS = 120
# A poll's answer is recomputed at least every feed.live.ANSWER_SECONDS (600 s): a tab polling
# every 30 s recomputes one poll in twenty, a tab left open one in five.
ANSWER_SECONDS = 600
TOKEN_ROW = "/live/ home, 304 with the poll token"

# Run in a subprocess with Hive's settings: defines session_key_for(user), a signed-in session's key.
SIGNED_IN_SESSION = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

def session_key_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
"""

# The bench's viewer: the person who follows the most people.
SESSION_SNIPPET = (
    SIGNED_IN_SESSION
    + """
from django.db.models import Count
from feed.models import FollowPerson
from profiles.models import Profile

top = (FollowPerson.objects.values("follower").annotate(n=Count("id")).order_by("-n", "follower")
       .values_list("follower", flat=True).first())
print(session_key_for(Profile.objects.select_related("user").get(pk=top).user))
"""
)


# --pages: the pages of issue #18's table, found in the feed bench's data as the viewer reaches them,
# each with the share of the trivial view the issue asks for. Printed as JSON lines (name, path, target).
PAGES_SNIPPET = """
import json
import django
django.setup()
from django.db.models import Count
from communities.models import Membership
from feed.models import FollowPerson, Post
from feed.selectors import readable_posts
from profiles.models import Profile

viewer = Profile.objects.get(pk=(FollowPerson.objects.values("follower").annotate(n=Count("id"))
                                 .order_by("-n", "follower").values_list("follower", flat=True).first()))
group = Membership.objects.filter(profile=viewer).select_related("community").first().community
readable = readable_posts(viewer=viewer).filter(community__isnull=True)
typical = readable.filter(comment_count__gte=3, comment_count__lte=10).order_by("-id").first()
thread = readable.filter(comment_count__gte=300).order_by("comment_count").first()
pages = [
    ("Home", "/", 15), ("All company", "/all/", 15), ("Questions", "/questions/", 15),
    ("group feed", group.get_absolute_url(), 15), ("post page, typical", typical.get_absolute_url(), 20),
    (f"post page, {thread.comment_count}-comment thread", thread.get_absolute_url(), 8),
    ("search 'python'", "/search/?q=python", 15), ("#tag page (/tags/ruby/)", "/tags/ruby/", 15),
    ("expert finder (python)", "/search/experts/?topic=python", 10),
    ("@mention suggestions", "/mentions/suggest/?q=ann", 25),
    ("colleague suggestions", "/people/suggest/?q=ann", 25),
    ("people directory", "/people/", 25), ("skills", "/skills/", 25),
]
for name, path, target in pages:
    print(json.dumps({"name": name, "path": path, "target": target}))
"""


def bench_env(*, database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "hive_bench_settings",
            "DJANGO_SECRET_KEY": "bench-only-secret-" + "x" * 40,
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "HIVE_LOG_LEVEL": "WARNING",
            "HIVE_SEMANTIC_MODEL": "off",
            "PYTHONPATH": os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
    )
    return env


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, *, cookie: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie, **(headers or {})})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def wait_up(url: str, *, cookie: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url, cookie=cookie)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


TICKS = os.sysconf("SC_CLK_TCK")


def server_pids(*, master: int, database: str) -> list[int]:
    """gunicorn's workers (the master's children) and the PostgreSQL backends connected to the bench
    database (their process title names it): the processes whose CPU a request costs the server."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[1]) == master or (title.startswith("postgres: ") and f" {database} " in title):
            pids.append(int(proc.name))
    return pids


class ServerCPU:
    """The CPU the server's processes used since it was made; sample() now and then picks up the
    PostgreSQL backends that connect later (a new backend's CPU all counts)."""

    def __init__(self, *, master: int, database: str) -> None:
        self.master, self.database = master, database
        self.start = {pid: cpu_seconds([pid]) for pid in server_pids(master=master, database=database)}
        self.last = dict(self.start)

    def sample(self) -> float:
        for pid in server_pids(master=self.master, database=self.database):
            self.last[pid] = max(self.last.get(pid, 0.0), cpu_seconds([pid]))
        return sum(self.last[pid] - self.start.get(pid, 0.0) for pid in self.last)


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def redis_cpu_seconds(url: str) -> float:
    """redis-server's CPU so far: every client's, so over a run an upper bound of the bench's share."""
    import redis

    info = redis.Redis.from_url(url).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def wrk(url: str, *, cookie: str, headers: dict, seconds: int, connections: int) -> dict:
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "60s",
        "--latency",
    ]
    command += ["-H", f"Cookie: {cookie}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "requests": requests,
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--code", default=str(ROOT), help="the checkout to serve (default: this one)")
    parser.add_argument("--python", default=sys.executable, help="the Python whose gunicorn serves it")
    parser.add_argument("--database", default="hive_feedbench")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2", help="the cache the workers share")
    parser.add_argument("--port", type=int, default=9110)
    parser.add_argument("--seconds", type=int, default=15, help="per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--changed-share",
        type=float,
        default=0.1,
        help="share of polls recomputed, for the second estimate (default 0.1: the 10-minute expiry's"
        " 5%% plus the feed bench viewer's Home, about 0.04 new posts per 30 s in working hours)",
    )
    parser.add_argument("--label", default="", help="a name for this run in the output")
    parser.add_argument("--output", default="", help="append the run as a JSON line to this file")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="measure issue #18's pages (Home, post pages, search, suggestions...) instead of the poll,"
        " each against its target share of the trivial view",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="with --pages: only the pages whose name starts with NAME (repeatable; e.g. 'expert', 'skills')",
    )
    args = parser.parse_args(argv)

    env = bench_env(database_url=f"{args.server.rstrip('/')}/{args.database}", redis_url=args.redis)
    session_key = subprocess.run(
        [args.python, "-c", SESSION_SNIPPET],
        cwd=args.code,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    cookie = f"sessionid={session_key}"
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            args.python, "-m", "gunicorn", "config.wsgi:application",
            "--chdir", args.code, "--workers", "2", "--worker-class", "sync",
            "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
        ],
        cwd=args.code,
        env=env,
    )  # fmt: skip
    try:
        # Two workers importing Hive take well over a minute on a machine shared with other work.
        wait_up(base + "/healthz", cookie=cookie, seconds=300)
        status, _, home = get(base + "/", cookie=cookie)
        if status != 200:
            raise SystemExit(f"Home answered {status}: is the session valid?")
        after = re.search(r'data-after="(\d+)"', home) or re.search(r"new-posts/\?after=(\d+)", home)
        if after is None:
            raise SystemExit("Home carries no new-post prompt: no top post id to poll with")
        after = after.group(1)
        live_url = f"{base}/live/?after={after}&scope=home"
        has_live = get(live_url, cookie=cookie)[0] != 404
        targets: list[tuple[str, str, dict]] = [("trivial signed-in view", base + "/bench/ok/", {})]
        page_targets: dict[str, int] = {}
        if args.pages:
            found = subprocess.run(
                [args.python, "-c", PAGES_SNIPPET], cwd=args.code, env=env,
                capture_output=True, text=True, check=True,
            ).stdout.splitlines()  # fmt: skip
            for line in found:
                page = json.loads(line)
                if args.only and not any(page["name"].startswith(prefix) for prefix in args.only):
                    continue
                targets.append((page["name"], base + page["path"], {}))
                page_targets[page["name"]] = page["target"]
        elif has_live:
            _, headers, _ = get(live_url, cookie=cookie)
            etag = headers.get("ETag")
            if not etag:
                raise SystemExit("/live/ sent no ETag: is the cache (--redis) reachable?")
            status, _, _ = get(live_url, cookie=cookie, headers={"If-None-Match": etag})
            if status != 304:
                raise SystemExit(f"/live/ with its own ETag answered {status}, not 304")
            targets += [
                ("/live/ home, nothing new (304)", live_url, {"If-None-Match": etag}),
                ("/live/ home, recomputed (200)", live_url, {}),
            ]
            token = re.search(r'data-live-token="([^"]+)"', home)
            if token:  # the tab's poll token: the 304 is answered before the session (feed/live_gate.py)
                tokened = {"If-None-Match": etag, "X-Hive-Live": token.group(1)}
                get(live_url, cookie=cookie, headers=tokened)  # the Django path stores the audience
                # Without the session cookie: only the gate can answer it with a 304 (Django would
                # send a browser without a session to the sign-in page).
                status = get(live_url, cookie="", headers=tokened)[0]
                if status != 304:
                    raise SystemExit(f"the poll with its token and no session answered {status}, not 304")
                targets.append((TOKEN_ROW, live_url, tokened))
        else:
            targets += [
                ("/new-posts/ home (every 30 s)", f"{base}/new-posts/?after={after}&scope=home", {}),
                ("/notifications/badge/ (every 60 s)", base + "/notifications/badge/", {}),
            ]
        targets.append(targets[0])
        for name, url, headers in targets:
            status = get(url, cookie=cookie, headers=headers)[0]
            if status not in (200, 304):
                raise SystemExit(f"{name} answered {status}")
        for _name, url, headers in targets:  # warm every worker
            for _ in range(4):
                get(url, cookie=cookie, headers=headers)

        results = []
        for name, url, headers in targets:
            for _attempt in range(3):
                if "If-None-Match" in headers:
                    # The ETag of an answer changes with the person's answer window (feed.live): take
                    # the current one, and measure again if the window ended during the row (its
                    # requests were then recomputed, not 304s).
                    _, fresh, _ = get(url, cookie=cookie)
                    headers = {**headers, "If-None-Match": fresh["ETag"]}
                    if "X-Hive-Live" in headers:
                        headers["X-Hive-Live"] = fresh["X-Hive-Live"]
                        get(url, cookie=cookie, headers=headers)  # through Django: holds the audience
                cpu = ServerCPU(master=server.pid, database=args.database)
                redis_cpu = redis_cpu_seconds(args.redis)
                result = wrk(
                    url, cookie=cookie, headers=headers, seconds=args.seconds, connections=args.connections
                )
                requests = max(result["requests"], 1)
                result["cpu_ms"] = 1000 * cpu.sample() / requests
                result["redis_cpu_ms"] = 1000 * (redis_cpu_seconds(args.redis) - redis_cpu) / requests
                if "If-None-Match" not in headers or get(url, cookie=cookie, headers=headers)[0] == 304:
                    break
                print(f"  {name}: the answer window ended during the row; measuring it again", flush=True)
            results.append({"name": name, **result})
            print(f"  {name:<38} {result['rps']:8.1f} req/s {result['cpu_ms']:7.2f} CPU ms", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    trivial = (results[0]["rps"] + results[-1]["rps"]) / 2
    load = os.getloadavg()
    print()
    print(
        f"{args.label or args.code}: wrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn 2 sync workers,"
    )
    print(f"database {args.database}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(
        f"{'endpoint':<38} {'req/s':>8} {'share':>7} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7} {'+Redis':>7}"
        "  status"
    )
    missed = []
    for r in results:
        status = (
            "ok"
            if not r["non_2xx_3xx"] and not r["socket_errors"]
            else (f"{r['non_2xx_3xx']} non-2xx/3xx {r['socket_errors']}")
        )
        share = 100 * r["rps"] / trivial
        target = page_targets.get(r["name"])
        verdict = "" if target is None else f"  target {target}%: " + ("met" if share >= target else "MISSED")
        if target is not None and share < target:
            missed.append(r["name"])
        print(
            f"{r['name']:<38} {r['rps']:8.1f} {share:6.1f}% {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}"
            f" {r['cpu_ms']:7.2f} {r['redis_cpu_ms']:7.2f}  {status}" + verdict
        )
    if args.pages:
        print(f"\n{len(page_targets) - len(missed)} of {len(page_targets)} pages at their target share")
        if args.output:
            with open(args.output, "a") as out:
                out.write(json.dumps({"label": args.label, "pages": results, "trivial_rps": trivial}) + "\n")
        return 0

    # Capacity, two ways. From req/s: a request of an endpoint measured at R req/s (the machine
    # saturated, wrk included) uses 1/R of the machine's second, and half capacity is 0.5 machine-
    # seconds a second. From CPU: a request costs the server (gunicorn's workers and PostgreSQL's
    # backends, not wrk) its CPU ms plus redis-server's (all of it: an upper bound while other work
    # uses the same Redis), and half capacity is half the cores' seconds a second; steadier on a
    # machine shared with other work, which slows every request's wall time but not its CPU.
    rows = {r["name"]: r for r in results[1:-1]}
    half = {"req/s": 0.5, "CPU": (os.cpu_count() or 1) / 2}

    def cost(row: dict, how: str) -> float:  # machine-seconds (req/s) or core-seconds (CPU) per request
        return 1 / row["rps"] if how == "req/s" else (row["cpu_ms"] + row["redis_cpu_ms"]) / 1000

    estimates: dict[str, dict[str, float]] = {}
    if has_live:
        # With a poll token, an idle tab's 304 is the token's (answered in front of Django).
        idle = rows.get(TOKEN_ROW) or rows["/live/ home, nothing new (304)"]
        changed = rows["/live/ home, recomputed (200)"]

        def tabs(how: str, recomputed: float, period: int = POLL_SECONDS) -> float:
            per_poll = (1 - recomputed) * cost(idle, how) + recomputed * cost(changed, how)
            return half[how] / (per_poll / period)

        cases = {
            "idle tabs in use (every 30 s; 1 poll in 20 recomputed)": (POLL_SECONDS / ANSWER_SECONDS,),
            "idle tabs left open (every 120 s; 1 poll in 5 recomputed)": (
                LEFT_OPEN_POLL_SECONDS / ANSWER_SECONDS,
                LEFT_OPEN_POLL_SECONDS,
            ),
            f"Home tabs in use, {args.changed_share:.0%} of polls recomputed (--changed-share)": (
                args.changed_share,
            ),
            "tabs in use if every poll were a 304": (0.0,),
        }
        for name, case in cases.items():
            estimates[name] = {how: tabs(how, *case) for how in half}
    else:
        new_posts, badge = list(rows.values())
        per_tab = {how: cost(new_posts, how) / POLL_SECONDS + cost(badge, how) / 60 for how in half}
        estimates["idle tabs (prompt every 30 s, badge every 60 s)"] = {
            how: half[how] / per_tab[how] for how in half
        }
    print()
    print("Open tabs one such machine serves at half its capacity:    from req/s  from CPU+Redis")
    for name, by in estimates.items():
        print(f"  {name:<62} {by['req/s']:10,.0f} {by['CPU']:12,.0f}")
    if args.output:
        with open(args.output, "a") as out:
            record = {
                "label": args.label,
                "code": args.code,
                "database": args.database,
                "connections": args.connections,
                "seconds": args.seconds,
                "load": load,
                "results": results,
                "trivial_rps": trivial,
                "estimates": estimates,
            }
            out.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
