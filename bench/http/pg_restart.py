"""PostgreSQL restarted under a running Hive: what people get during the outage, and how soon after
PostgreSQL is back Hive serves again, without restarting gunicorn (issue #18's fault item).

    .venv/bin/python bench/http/pg_restart.py                          # hive_feedbench, 8 s down
    .venv/bin/python bench/http/pg_restart.py --down 15 --database hive_demo

Starts gunicorn (2 sync workers, DEBUG off, the bench settings as run.py) and signs in as the feed
bench's viewer. Four browser-like clients then read Home, a post and the trivial view in turn for
the whole run while the script stops the PostgreSQL cluster (pg_ctlcluster ... stop -m fast: every
connection is cut, as a crash or a failover does), keeps it down --down seconds, starts it again and
waits until pg_isready answers. Prints what each phase answered (status counts; whether a 503 was
Hive's page and never a traceback) and the seconds from "PostgreSQL is back" to the first 200 and
to the last non-200. Exits 1 if anything answered 500 or a stack trace, or if Hive needed more than
5 seconds. It stops PostgreSQL for everything on this machine: run it when nothing else needs it.
"""

import argparse
import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, SESSION_SNIPPET, bench_env, get, wait_up  # noqa: E402

RECOVERY_TARGET_SECONDS = 5
GUNICORN_LOG = "/tmp/pg_restart_gunicorn.log"


def newest_version() -> str:
    return sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]


def pg_ready(port: int) -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"]).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="hive_feedbench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--port", type=int, default=9111)
    parser.add_argument("--down", type=float, default=8.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--cluster", default="main", help="the pg_ctlcluster cluster to restart")
    parser.add_argument("--pg-port", type=int, default=5432)
    args = parser.parse_args(argv)

    env = bench_env(
        database_url=f"postgres://postgres@127.0.0.1:{args.pg_port}/{args.database}", redis_url=args.redis
    )
    session_key = subprocess.run(
        [sys.executable, "-c", SESSION_SNIPPET], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    cookie = f"sessionid={session_key}"
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--chdir", str(ROOT),
         "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{args.port}",
         "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, env=env, stderr=open(GUNICORN_LOG, "w"),
    )  # fmt: skip
    answers: list[tuple[float, str, int, str]] = []  # (time, path, status, kind of body)
    stop = threading.Event()
    lock = threading.Lock()
    bad_body: list[str] = []

    def client(paths: list[str]) -> None:
        while not stop.is_set():
            for path in paths:
                started = time.monotonic()
                try:
                    status, _, body = get(base + path, cookie=cookie)
                    kind = "traceback" if "Traceback" in body else ("hive 503" if status == 503 else "")
                    if status == 500 and not bad_body:
                        bad_body.append(path + " " + body[:300])
                except OSError as error:
                    status, kind = 0, type(error).__name__
                with lock:
                    answers.append((started, path, status, kind))
                time.sleep(0.05)

    try:
        wait_up(base + "/healthz", cookie=cookie)
        status, _, home = get(base + "/", cookie=cookie)
        if status != 200:
            raise SystemExit(f"Home answered {status}: is the session valid?")
        paths = ["/", "/all/", "/bench/ok/"]
        threads = [threading.Thread(target=client, args=(paths,), daemon=True) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        version, name = newest_version(), args.cluster
        went_down = time.monotonic()
        subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True)
        time.sleep(args.down)
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)
        while not pg_ready(args.pg_port):
            time.sleep(0.05)
        back = time.monotonic()
        time.sleep(15)
        stop.set()
        for thread in threads:
            thread.join(timeout=70)
    finally:
        stop.set()
        if not pg_ready(args.pg_port):
            subprocess.run(["pg_ctlcluster", newest_version(), args.cluster, "start"])
        server.terminate()
        server.wait(timeout=30)

    def phase(start: float, end: float) -> collections.Counter:
        return collections.Counter(
            f"{status} {kind}".strip() for t, _, status, kind in answers if start <= t < end
        )

    after_back = [(t - back, status) for t, _, status, _ in answers if t >= back]
    first_ok = next((t for t, status in after_back if status == 200), None)
    last_bad = max((t for t, status in after_back if status != 200), default=None)
    load = os.getloadavg()
    print(f"database {args.database}, {args.clients} clients, PostgreSQL down {back - went_down:.1f} s,"
          f" load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")  # fmt: skip
    print(f"  before the stop:       {dict(phase(0, went_down))}")
    print(f"  while it was down:     {dict(phase(went_down, back))}")
    print(f"  after it was back:     {dict(phase(back, float('inf')))}")
    print(f"  first 200 after back:  {first_ok if first_ok is None else round(first_ok, 2)} s")
    print(f"  last non-200 after it: {last_bad if last_bad is None else round(last_bad, 2)} s")
    bad = [kind for _, _, status, kind in answers if status == 500 or kind == "traceback"]
    recovered = last_bad is None or last_bad <= RECOVERY_TARGET_SECONDS
    if bad_body:
        print(f"  the first 500 ({GUNICORN_LOG} has the tracebacks): {bad_body[0]!r}")
    print(f"  500s or tracebacks: {len(bad)}; serving again within {RECOVERY_TARGET_SECONDS} s: {recovered}")
    return 0 if not bad and recovered and first_ok is not None else 1


if __name__ == "__main__":
    sys.exit(main())
