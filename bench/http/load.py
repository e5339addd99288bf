"""Mixed-workload load test: many signed-in people using Hive at once, as their browsers would.

    .venv/bin/python bench/http/load.py --database hive_feedbench_livepoll            # 200 people, 300 s
    .venv/bin/python bench/http/load.py --database hive_feedbench_livepoll --people 20 --seconds 30

Starts gunicorn (DEBUG off, bench settings as run.py) on this checkout, signs in --people distinct
feed-bench people by creating their sessions directly with Django's SessionStore in a one-off bench
process (no password hashing through the sign-in form: 200 PBKDF2 hashes would only measure the
hasher), then runs one asyncio task per person (aiohttp, one cookie jar each) for --seconds. Each
person thinks (exponential, mean --think seconds) and then picks a weighted action: read Home, open
a post, react, comment, post, search posts, search people, open a profile. Every open Home tab also
polls /live/ every 30 s with the ETag of its previous answer, as static/js/live.js does. Writes
carry the CSRF token the page gave (the body's hx-headers X-CSRFToken, as htmx sends it).

Prints per action: count, p50/p95/p99 ms, and errors by status (5xx counted separately). Exits 1
on any 5xx or connection error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import ROOT, SIGNED_IN_SESSION, ServerCPU, bench_env, wait_up  # noqa: E402

LIVE_SECONDS = 30
ACTIONS = {  # weight: a reading-heavy day, as an intranet's traffic is
    "home": 30,
    "post": 25,
    "react": 12,
    "comment": 6,
    "create_post": 3,
    "search_posts": 8,
    "search_people": 6,
    "profile": 10,
}
SEARCH_WORDS = ["python", "release", "design", "kubernetes", "hiring", "budget", "ruby", "customer"]
PEOPLE_WORDS = ["anna", "john", "maria", "chen", "smith", "lee", "garcia", "kim"]
REACTIONS = ["like", "celebrate", "insightful", "support"]

SESSIONS_SNIPPET = (
    SIGNED_IN_SESSION
    + """
import sys
from django.contrib.auth import get_user_model

count = int(sys.argv[1])
users = list(get_user_model().objects.filter(is_active=True, profile__isnull=False)
             .order_by("?")[:count])
for user in users:
    print(session_key_for(user))
"""
)

CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
POST_LINK = re.compile(r'href="/posts/(\d+)/"')
PROFILE_LINK = re.compile(r'href="/people/(\d+)/"')
AFTER = re.compile(r'data-after="(\d+)"')
LIVE_TOKEN = re.compile(r'data-live-token="([^"]+)"')


class Stats:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)

    def record(self, action: str, ms: float, status: int | str) -> None:
        self.times[action].append(ms)
        self.statuses[action][status] += 1


class Person:
    def __init__(self, *, base: str, session_key: str, stats: Stats, until: float, think: float):
        self.base = base
        self.stats = stats
        self.until = until
        self.think = think
        jar = aiohttp.CookieJar(unsafe=True)  # 127.0.0.1 is an IP address
        jar.update_cookies({"sessionid": session_key})
        # gunicorn closes an idle kept-alive connection after 2 s (--keep-alive); a client that reuses
        # it at that moment gets a reset (a browser retries such a request, aiohttp does not), so
        # connections are reused only within 1 s.
        connector = aiohttp.TCPConnector(keepalive_timeout=1.0)
        self.http = aiohttp.ClientSession(
            connector=connector, cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=120)
        )
        self.csrf = ""
        self.posts: list[str] = []
        self.profiles: list[str] = []
        self.after = ""
        self.etag = ""
        self.live_token = ""

    async def request(self, action: str, method: str, path: str, **kwargs) -> tuple[int, str]:
        started = time.perf_counter()
        try:
            async with self.http.request(
                method, self.base + path, allow_redirects=False, **kwargs
            ) as response:
                text = await response.text()
                status = response.status
                if action == "live":
                    self.etag = response.headers.get("ETag", self.etag)
                    self.live_token = response.headers.get("X-Hive-Live", self.live_token)
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.stats.record(action, (time.perf_counter() - started) * 1000, type(exc).__name__)
            return 0, ""
        self.stats.record(action, (time.perf_counter() - started) * 1000, status)
        self.learn(text)
        return status, text

    def learn(self, page: str) -> None:
        if token := CSRF.search(page):
            self.csrf = token.group(1)
        if posts := POST_LINK.findall(page):
            self.posts = list(dict.fromkeys(posts))[:40]
        if people := PROFILE_LINK.findall(page):
            self.profiles = list(dict.fromkeys(people))[:40]
        if after := AFTER.search(page):
            self.after = after.group(1)
        if live_token := LIVE_TOKEN.search(page):
            self.live_token = live_token.group(1)

    def write(self, data: dict) -> dict:
        return {"data": {**data, "csrfmiddlewaretoken": self.csrf}, "headers": {"X-CSRFToken": self.csrf}}

    async def live(self) -> None:
        await asyncio.sleep(random.uniform(0, LIVE_SECONDS))
        while time.monotonic() < self.until:
            headers = {"If-None-Match": self.etag} if self.etag else {}
            if self.live_token:  # static/js/live.js sends the page's poll token (feed/live_gate.py)
                headers["X-Hive-Live"] = self.live_token
            query = f"?after={self.after}&scope=home" if self.after else "?scope=home"
            await self.request("live", "GET", "/live/" + query, headers=headers)
            await asyncio.sleep(LIVE_SECONDS)

    async def act(self, action: str) -> None:
        post = random.choice(self.posts) if self.posts else None
        if action == "home" or post is None:
            await self.request("home", "GET", "/")
        elif action == "post":
            await self.request("post", "GET", f"/posts/{post}/")
        elif action == "react":
            kind = random.choice(REACTIONS)
            await self.request(
                "react", "POST", f"/posts/{post}/react/", **self.write({"kind": kind, "next": "/"})
            )
        elif action == "comment":
            await self.request(
                "comment",
                "POST",
                f"/posts/{post}/",
                **self.write({"body": f"Load bench comment {random.randrange(10**6)}"}),
            )
        elif action == "create_post":
            await self.request(
                "create_post",
                "POST",
                "/",
                **self.write({"body": f"Load bench post {random.randrange(10**6)}", "kind": "update"}),
            )
        elif action == "search_posts":
            await self.request("search_posts", "GET", "/search/?q=" + random.choice(SEARCH_WORDS))
        elif action == "search_people":
            await self.request("search_people", "GET", "/search/?q=" + random.choice(PEOPLE_WORDS))
        elif action == "profile":
            target = random.choice(self.profiles) if self.profiles else None
            if target is None:
                await self.request("home", "GET", "/")
            else:
                await self.request("profile", "GET", f"/people/{target}/")

    async def run(self) -> None:
        names, weights = list(ACTIONS), list(ACTIONS.values())
        try:
            await asyncio.sleep(random.uniform(0, self.think))  # people arrive over a while
            await self.request("home", "GET", "/")
            poller = asyncio.create_task(self.live())
            while time.monotonic() < self.until:
                await self.act(random.choices(names, weights)[0])
                await asyncio.sleep(min(random.expovariate(1 / self.think), 60))
            await poller
        finally:
            await self.http.close()


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(stats: Stats, *, seconds: float) -> int:
    print(f"{'action':<14} {'count':>7} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    total_5xx = total_failed = 0
    for action in [*ACTIONS, "live"]:
        times = stats.times.get(action)
        if not times:
            continue
        statuses = stats.statuses[action]
        server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
        failed = sum(n for s, n in statuses.items() if not isinstance(s, int))
        total_5xx += server_errors
        total_failed += failed
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=lambda i: str(i[0])))
        print(
            f"{action:<14} {len(times):>7} {len(times) / seconds:6.1f} {percentile(times, 0.5):8.1f}"
            f" {percentile(times, 0.95):8.1f} {percentile(times, 0.99):8.1f}  {shown}"
            + (f"  ** {server_errors} 5xx **" if server_errors else "")
        )
    every = [t for times in stats.times.values() for t in times]
    print(
        f"{'all':<14} {len(every):>7} {len(every) / seconds:6.1f} {percentile(every, 0.5):8.1f}"
        f" {percentile(every, 0.95):8.1f} {percentile(every, 0.99):8.1f}"
    )
    print(f"5xx: {total_5xx}   connection errors/timeouts: {total_failed}")
    return 1 if total_5xx or total_failed else 0


async def load(*, base: str, sessions: list[str], seconds: float, think: float, cpu: ServerCPU) -> Stats:
    stats = Stats()
    until = time.monotonic() + seconds
    people = [Person(base=base, session_key=s, stats=stats, until=until, think=think) for s in sessions]
    done = asyncio.Event()

    async def sample() -> None:  # PostgreSQL backends come and go: look for them now and then
        while not done.is_set():
            await asyncio.to_thread(cpu.sample)
            await asyncio.sleep(2)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(p.run() for p in people))
    done.set()
    await sampler
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="hive_feedbench")
    parser.add_argument(
        "--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--port", type=int, default=9110)
    parser.add_argument("--people", type=int, default=200, help="distinct signed-in people")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--think", type=float, default=7.0, help="mean think time, seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn gthread workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args(argv)

    env = bench_env(database_url=f"{args.server.rstrip('/')}/{args.database}", redis_url=args.redis)
    sessions = subprocess.run(
        [sys.executable, "-c", SESSIONS_SNIPPET, str(args.people)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if len(sessions) != args.people:
        raise SystemExit(f"signed in {len(sessions)} people, not {args.people}")
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--chdir", str(ROOT), "--workers", str(args.workers), "--worker-class", "gthread",
            "--threads", str(args.threads), "--timeout", "120",
            "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_up(base + "/healthz", cookie=f"sessionid={sessions[0]}")
        cpu = ServerCPU(master=server.pid, database=args.database)
        started = time.monotonic()
        stats = asyncio.run(
            load(base=base, sessions=sessions, seconds=args.seconds, think=args.think, cpu=cpu)
        )
        elapsed = time.monotonic() - started
        server_cpu = cpu.sample()
    finally:
        server.terminate()
        server.wait(timeout=60)
    load_avg = os.getloadavg()
    print()
    print(
        f"{args.people} people, {elapsed:.0f} s, think mean {args.think} s, gunicorn {args.workers}"
        f" gthread workers x {args.threads} threads, database {args.database},"
        f" load average {load_avg[0]:.1f} {load_avg[1]:.1f} {load_avg[2]:.1f}"
    )
    requests = sum(len(times) for times in stats.times.values())
    per_request = server_cpu / max(requests, 1)
    # What the people ask when answers are instant: an action per think time, a poll per 30 s. Their
    # CPU against the machine's cores says whether the mix fits at all, whatever else runs beside it.
    asked = args.people / args.think + args.people / LIVE_SECONDS
    print(
        f"server CPU (gunicorn workers, PostgreSQL backends): {server_cpu:.0f} s, {1000 * per_request:.1f} ms"
        f" a request; {args.people} people ask about {asked:.0f} requests/s, {asked * per_request:.2f} cores"
        f" of this machine's {os.cpu_count()}"
    )
    return report(stats, seconds=elapsed)


if __name__ == "__main__":
    sys.exit(main())
