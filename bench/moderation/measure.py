"""Automatic moderation benchmark: what the rules cost per evaluation and per post created.

    .venv/bin/python bench/moderation/measure.py                 # 0, 200 and 500 watched words
    .venv/bin/python bench/moderation/measure.py --rules 200 500 1000 --texts 2000 --posts 200

Creates a scratch database of its own (--database, dropped at the end unless --keep), migrates it and
adds a few people. For each rule count it saves that many rules (90% watched words, 10% regular
expressions, plus the four confidential-data detectors), then times `moderation.rules.text_screen`
on --texts realistic posts (150 to 2,000 characters, a few carrying a watched word, a card number or
a key), as post_create calls it: the cache read of the rules' version included (Redis when REDIS_URL
is set), compiling excluded (timed apart: it happens once per process after a rule changes). Then
`feed.services.post_create` with no rules and with the largest rule set, each post in a transaction
rolled back, to give the added cost per post created. Also times a catastrophic expression, (a+)+$,
on a 5,000-character post. Prints a table and writes bench/moderation/results.json.
"""

from __future__ import annotations

import os
import random
import statistics
import string
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import (  # noqa: E402
    DEFAULT_SERVER,
    _recreate_database,
    configure_django,
    database_url,
    drop_database,
)
from bench.people.measure import bench_parser, results_write  # noqa: E402

RESULTS = Path(__file__).with_name("results.json")
DEFAULT_DATABASE = "hive_modrulesbench"
# The target: rule evaluation adds under 5 ms to creating a post with 500 watched words on.
TARGET_ADDED_MS = 5.0

WORDS = (
    "team release plan customer meeting review update project deadline launch design sprint budget "
    "hiring office lunch travel report quarter roadmap feedback demo onboarding training security "
    "incident outage deploy migration database latency dashboard metrics goal milestone partner "
    "contract invoice support ticket laptop network policy holiday workshop offsite coffee thanks "
    "great work everyone shipped fixed improved tested reviewed merged planned shared learned"
).split()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _texts(rng: random.Random, count: int, watched: list[str]) -> list[str]:
    texts = []
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(25, 320))]
        if n % 50 == 0 and watched:  # now and then a watched word, a card number or a key
            words.insert(rng.randrange(len(words)), rng.choice(watched))
        if n % 97 == 0:
            words.append("card 4111 1111 1111 1111")
        if n % 131 == 0:
            words.append("AKIAIOSFODNN7EXAMPLE")
        if n % 7 == 0:
            words.append(f"ticket #{rng.randrange(10**6)} call +44 20 7946 {rng.randrange(10**4):04d}")
        texts.append(" ".join(words))
    return texts


def _rules_set(count: int, rng: random.Random, *, actor) -> list[str]:
    """Replaces every rule with `count` of them (and the four detectors when count > 0); returns the words."""
    from moderation.rules import rules_changed
    from moderation.rules_models import WatchedRule

    WatchedRule.objects.all().delete()
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10))) for _ in range(count)]
    rows = []
    for n, word in enumerate(words):
        if n % 10 == 9:  # one in ten an expression
            rows.append(WatchedRule(kind="regex", pattern=rf"\b{word[:4]}\w*\s+\d{{3,}}", action="flag"))
        else:
            rows.append(WatchedRule(kind="word", pattern=word + ("*" if n % 5 == 0 else ""), action="flag"))
    if count:
        rows += [
            WatchedRule(kind="detector", pattern=name, action="hold", countries="")
            for name in ("card", "iban", "national_id", "secret")
        ]
    for row in rows:
        row.created_by = actor
    WatchedRule.objects.bulk_create(rows)
    rules_changed()
    return words


def measure_evaluation(counts: list[int], *, texts: int, actor) -> list[dict]:
    from moderation import rules

    rng = random.Random(11)
    results = []
    for count in counts:
        watched = _rules_set(count, rng, actor=actor)
        started = time.perf_counter()
        rules.compiled_for("posts")  # compiles every kind of content's rules once
        compile_ms = (time.perf_counter() - started) * 1000
        sample = _texts(rng, texts, watched)
        for text in sample[:50]:  # warm up
            rules.text_screen(text=text, where="posts")
        times, hits = [], 0
        for text in sample:
            started = time.perf_counter()
            verdict = rules.text_screen(text=text, where="posts")
            times.append((time.perf_counter() - started) * 1000)
            hits += bool(verdict.hits)
        row = {
            "rules": count + (4 if count else 0),
            "watched_words_and_expressions": count,
            "texts": len(sample),
            "mean_chars": round(statistics.mean(len(t) for t in sample)),
            "compile_ms": round(compile_ms, 1),
            "median_ms": round(statistics.median(times), 3),
            "p90_ms": round(_percentile(times, 0.90), 3),
            "p99_ms": round(_percentile(times, 0.99), 3),
            "texts_with_hits": hits,
        }
        results.append(row)
        print(
            f"  {row['rules']:>5} rules: compile {row['compile_ms']:>7} ms | evaluate median "
            f"{row['median_ms']} ms, p90 {row['p90_ms']} ms, p99 {row['p99_ms']} ms "
            f"({hits} of {len(sample)} hit)"
        )
    return results


def measure_post_create(count: int, *, posts: int, author, actor) -> dict:
    """Median and p90 ms of post_create without rules and with `count` watched words + detectors."""
    from django.db import transaction

    from feed.services import post_create
    from moderation import rules

    rng = random.Random(5)

    def run(watched: list[str]) -> list[float]:
        sample = _texts(rng, posts, [])  # ordinary posts: what nearly every post is
        rules.compiled_for("posts")
        times = []
        for text in sample:
            with transaction.atomic():
                started = time.perf_counter()
                post_create(author=author, body=text[:4900])
                times.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
        return times

    _rules_set(0, rng, actor=actor)
    run([])  # warm up
    # Alternate the two conditions so a change in the machine's load falls on both alike.
    without, with_rules = [], []
    for _ in range(2):
        _rules_set(0, rng, actor=actor)
        without += run([])
        _rules_set(count, rng, actor=actor)
        with_rules += run([])
    row = {
        "rules": count + 4,
        "posts": len(without),
        "without_rules_median_ms": round(statistics.median(without), 2),
        "without_rules_p90_ms": round(_percentile(without, 0.9), 2),
        "with_rules_median_ms": round(statistics.median(with_rules), 2),
        "with_rules_p90_ms": round(_percentile(with_rules, 0.9), 2),
    }
    row["added_median_ms"] = round(row["with_rules_median_ms"] - row["without_rules_median_ms"], 2)
    row["ratio_median"] = round(row["with_rules_median_ms"] / row["without_rules_median_ms"], 3)
    return row


def measure_catastrophic() -> dict:
    """(a+)+$ and ^(\\w+\\s?)*!$ on 5,000 characters: exponential for a backtracking engine."""
    import re2

    from moderation.rules import _options

    figures = {}
    for name, pattern, text in [
        ("(a+)+$ on 'a'*4999+'?'", r"(a+)+$", "a" * 4999 + "?"),
        ("^(\\w+\\s?)*!$ on 900 words", r"^(\w+\s?)*!$", "word " * 900 + "?"),
    ]:
        compiled = re2.compile(pattern, _options())
        times = []
        for _ in range(20):
            started = time.perf_counter()
            compiled.search(text)
            times.append((time.perf_counter() - started) * 1000)
        figures[name] = round(statistics.median(times), 3)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, database=DEFAULT_DATABASE, results=RESULTS)
    parser.add_argument(
        "--rules", type=int, nargs="*", default=[0, 200, 500], help="watched words and expressions"
    )
    parser.add_argument("--texts", type=int, default=2000, help="texts evaluated per rule count")
    parser.add_argument("--posts", type=int, default=150, help="posts created per condition and round")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    server = args.server or DEFAULT_SERVER

    _recreate_database(args.database, server, fresh=True)
    try:
        configure_django(database_url(args.database, server))
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from django.contrib.auth.models import Group

        from profiles import roles
        from profiles.models import Profile, User

        def person(email: str) -> Profile:
            user = User.objects.create_user(email=email, password=None)
            return Profile.objects.create(user=user, display_name=email.split("@")[0].title())

        author = person("bench-author@example.com")
        moderator = person("bench-moderator@example.com")
        moderator.user.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
        cache_kind = "Redis" if os.environ.get("REDIS_URL") else "process memory"
        print(f"Rules benchmark on {args.database} (rules' version read from {cache_kind})")
        load_before = os.getloadavg()
        evaluation = measure_evaluation(args.rules, texts=args.texts, actor=moderator)
        biggest = max(args.rules)
        creating = measure_post_create(biggest, posts=args.posts, author=author, actor=moderator)
        c = creating
        print(
            f"  post_create, {c['posts']} posts: median {c['without_rules_median_ms']} ms without rules, "
            f"{c['with_rules_median_ms']} ms with {c['rules']} rules (p90 "
            f"{c['without_rules_p90_ms']} → {c['with_rules_p90_ms']} ms): "
            f"+{c['added_median_ms']} ms, ×{c['ratio_median']} (target: under +{TARGET_ADDED_MS} ms)"
        )
        catastrophic = measure_catastrophic()
        for name, ms in catastrophic.items():
            print(f"  {name}: {ms} ms")
        results_write(
            args.output,
            database=args.database,
            load_before=load_before,
            cache=cache_kind,
            evaluation=evaluation,
            post_create=creating,
            catastrophic_expressions_ms=catastrophic,
            target_added_ms=TARGET_ADDED_MS,
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.database, server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
