"""The README's first command, `make run`, serves the demo on SQLite with tasks in-process; the suite runs
only on PostgreSQL, so nothing else would notice when a page breaks there (SQLite refuses LIMIT inside
UNION: Home broke once, search once). This builds the demo exactly as `make run` does, in a scratch
SQLite file, signs in as each demo account through the sign-in form, and opens every page of the
accessibility audit's list (bench/a11y/audit.mjs, read from that file so the two lists cannot drift),
plus searches with operators, the live poll, and a post and a comment written through the pages' forms.

    .venv/bin/python .ci/demo_smoke.py     # ~1 minute; exit 1 and a list of what failed, else 0
    .venv/bin/python .ci/demo_smoke.py --database /tmp/demo.sqlite3   # keep the demo; reuse it if there

Run it with no DATABASE_URL or REDIS_URL in the environment (`make demo-smoke` does that).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "bench" / "a11y" / "audit.mjs"
PASSWORD = "hive-demo-2026"
ACCOUNTS = {
    "demo": "demo@example.com",
    "moderator": "moderator@example.com",
    "comms": "comms@example.com",
    "admin": "admin@example.com",
    "newcomer": "newcomer@example.com",
}
# Search the way people do: words, a phrase, a typo, operators, an alias, an office, and bad input.
SEARCHES = [
    "python",
    "pricing page",
    '"open enrolment"',
    "kubernets",
    "k8s",
    "Lisbon",
    "is:question postmortem",
    "#python",
    "@demo",
    "in:data-guild",
    'after:2020-01-01 "unbalanced',
    "is:",
]


def audit_pages() -> list[tuple[str, str]]:
    """(account, path) of every page the a11y audit opens by a fixed path."""
    pairs = re.findall(r'as: "(\w+)", path: "([^"]+)"', AUDIT.read_text())
    if len(pairs) < 30:
        raise SystemExit(f"demo smoke: found only {len(pairs)} pages in {AUDIT}; has its format changed?")
    return pairs


def build_demo(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            print(done.stdout[-4000:], done.stderr[-4000:], sep="\n")
            raise SystemExit(f"demo smoke: manage.py {command[0]} failed with exit code {done.returncode}")
        print(f"demo smoke: manage.py {command[0]} {time.monotonic() - started:.1f} s")


def check_pages() -> list[str]:
    import django

    django.setup()
    from django.test import Client

    failures: list[str] = []
    clients: dict[str, Client] = {}

    def client(who: str) -> Client:
        if who not in clients:
            c = Client(raise_request_exception=False)
            if who != "null":
                response = c.post("/accounts/login/", {"login": ACCOUNTS[who], "password": PASSWORD})
                if response.status_code != 302:
                    failures.append(f"sign-in as {ACCOUNTS[who]}: {response.status_code}")
            clients[who] = c
        return clients[who]

    def get(who: str, path: str) -> None:
        response = client(who).get(path)
        if response.status_code != 200:
            failures.append(f"GET {path} as {who}: {response.status_code}")

    pages = [(who, path) for who, path in audit_pages() if who == "null" or who in ACCOUNTS]
    for who, path in pages:
        get(who, path)
    for query in SEARCHES:
        get("demo", "/search/?" + django.utils.http.urlencode({"q": query}))
    get("demo", "/search/experts/?topic=kubernetes")
    get("demo", "/live/?scope=home")

    # Write as a person would: a post, a comment on it, kudos; each answers with a redirect.
    demo = client("demo")
    response = demo.post("/", {"kind": "update", "body": "Demo smoke check: #python and @demo"})
    if response.status_code != 302:
        failures.append(f"posting an update: {response.status_code}")
    from feed.models import Comment, Post

    post = Post.objects.filter(body__startswith="Demo smoke check").order_by("-id").first()
    if post is None:
        failures.append("posting an update saved no post")
    else:
        get("demo", f"/posts/{post.pk}/")
        response = demo.post(f"/posts/{post.pk}/", {"body": "A comment from the smoke check"})
        if (
            response.status_code != 302
            or not Comment.objects.filter(post=post, body__startswith="A comment").exists()
        ):
            failures.append(f"commenting: {response.status_code}, no comment saved")
    print(f"demo smoke: {len(pages) + len(SEARCHES) + 4} requests")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, help="SQLite file to keep (built only if it does not exist)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hive-demo-smoke-") as scratch:
        database = args.database.resolve() if args.database else Path(scratch) / "demo.sqlite3"
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", scratch),
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{database}",
            "HIVE_MEDIA_ROOT": f"{database.parent}/{database.stem}-media",
            "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        }
        if not database.exists():
            build_demo(env)
        os.environ.clear()
        os.environ.update(env, DJANGO_SETTINGS_MODULE="config.settings")
        sys.path.insert(0, str(ROOT))
        os.chdir(ROOT)
        failures = check_pages()
    for failure in failures:
        print(f"demo smoke: FAILED {failure}")
    print("demo smoke: ok" if not failures else f"demo smoke: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
