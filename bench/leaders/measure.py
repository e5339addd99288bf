"""Leaders benchmark: server time and SQL queries of an ask-me-anything event's page at the issue's scale.

    nice -n 10 .venv/bin/python bench/leaders/measure.py                 # 2,000 questions, 50,000 votes
    nice -n 10 .venv/bin/python bench/leaders/measure.py --keep          # keep hive_leadersbench afterwards
    nice -n 10 .venv/bin/python bench/leaders/measure.py --compare-page-size 50   # and the old 50 per list
    nice -n 10 .venv/bin/python bench/leaders/measure.py --reuse --keep  # measure the kept database again

Creates a scratch database (hive_leadersbench), migrates it, and writes with COPY: 2,500 people, one
live event with 2,000 questions (every other one anonymous, one in four answered) and 50,000 votes
spread unevenly (a few questions draw most of them), plus the viewer's own votes, and the demo's
community guidelines (every question card's "Report this" form lists their clauses). Then times, through
Django's WSGI handler in this process (bench.people.measure.Server), the event page, the question
lists the page polls every 15 s, the events list, and the notifications page as a baseline from the
same run. The issue's target: the event page under 100 ms median. Drops the database unless --keep.
Prints a table and writes bench/leaders/results.json.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.generate import (
    _recreate_database,
    copy_rows,
    drop_database,
    reset_sequences,
)  # noqa: E402
from bench.people.measure import (  # noqa: E402
    Server,
    bench_parser,
    django_for_bench,
    measure_page,
    print_table,
    results_write,
)

RESULTS = Path(__file__).with_name("results.json")
DATABASE = "hive_leadersbench"
TARGET_MS = 100.0


def populate(*, people: int, questions: int, votes: int, seed: int = 15) -> tuple[int, int]:
    """Returns (event id, viewer profile id)."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from events.models import Event, Question, QuestionVote
    from profiles.models import Department, Profile, User

    rng = random.Random(seed)
    now = timezone.now()
    password = make_password("bench-password")
    copy_rows(Department, ["id", "name"], [(n + 1, f"Department {n}") for n in range(20)])
    copy_rows(
        User,
        ["id", "email", "password", "is_active", "is_staff", "is_superuser", "date_joined"],
        [(n + 1, f"person{n}@example.com", password, True, False, False, now) for n in range(people)],
    )
    copy_rows(
        Profile,
        ["id", "user_id", "display_name", "department_id", "created_at"],
        [(n + 1, n + 1, f"Person {n:05d}", n % 20 + 1, now) for n in range(people)],
    )
    host = 1
    copy_rows(
        Event,
        ["id", "title", "description", "created_by_id", "starts_at", "ends_at", "anonymous_questions",
         "question_count", "answered_count", "created_at"],
        [(1, "Ask the CEO anything", "Strategy and plans", host, now - dt.timedelta(minutes=30),
          now + dt.timedelta(minutes=30), True, questions, questions // 4, now)],
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO events_event_hosts (event_id, profile_id) VALUES (1, %s)", [host])
    # Votes per question follow a steep curve, as in real AMAs: the top few draw most of them.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(questions)]
    scale = votes / sum(weights)
    per_question = [min(people - 3, max(0, round(w * scale))) for w in weights]
    per_question[-1] += votes - sum(per_question)  # exactly `votes`
    rng.shuffle(per_question)
    authors = [rng.randrange(2, people + 1) for _ in range(questions)]
    copy_rows(
        Question,
        ["id", "event_id", "author_id", "anonymous", "body", "created_at", "vote_count", "answer",
         "answered_by_id", "answered_at"],
        [
            (q + 1, 1, authors[q], q % 2 == 0, f"Question {q}: what is the plan for team {q % 97}?",
             now - dt.timedelta(seconds=q), per_question[q],
             f"Answer {q}" if q % 4 == 0 else "", host if q % 4 == 0 else None,
             now - dt.timedelta(seconds=q // 2) if q % 4 == 0 else None)
            for q in range(questions)
        ],
    )  # fmt: skip
    viewer = people  # the last person; votes for about 1 question in 40

    def vote_rows():
        vote_id = 0
        for q, count in enumerate(per_question):
            # One more than needed, so that dropping the asker (no vote for one's own) keeps the count.
            voters = [v for v in rng.sample(range(2, people + 1), count + 1) if v != authors[q]][:count]
            for voter in voters:
                vote_id += 1
                yield (vote_id, q + 1, voter, now)

    total = copy_rows(QuestionVote, ["id", "question_id", "voter_id", "created_at"], vote_rows())
    reset_sequences([Department, User, Profile, Event, Question, QuestionVote])
    guidelines_seed(moderator_id=host)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {people:,} people, 1 event, {questions:,} questions, {total:,} votes")
    return 1, viewer


def event_live_again(event_id: int) -> None:
    """A kept event has ended by now: half an hour to go again, so the page has its vote buttons."""
    import datetime as dt

    from django.utils import timezone

    from events.models import Event

    now = timezone.now()
    Event.objects.filter(pk=event_id).update(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(minutes=30)
    )


def guidelines_seed(*, moderator_id: int) -> None:
    """The demo company's guidelines, published by a moderator."""
    from django.contrib.auth.models import Group

    from demo import content
    from moderation.services import guidelines_publish
    from profiles import roles
    from profiles.models import Profile

    moderator = Profile.objects.select_related("user").get(pk=moderator_id)
    moderator.user.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    guidelines_publish(editor=moderator, source=content.GUIDELINES, change_note="First version")


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, database=DATABASE, results=RESULTS, requests=200, warmup=20)
    parser.add_argument("--people", type=int, default=2500)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--votes", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the database a --keep run left")
    parser.add_argument(
        "--compare-page-size",
        type=int,
        action="append",
        help="also time the event page with this many questions per list (repeatable), in the same run",
    )
    args = parser.parse_args(argv)

    if not args.reuse:
        _recreate_database(args.database, args.server, fresh=True)
    try:
        django_for_bench(database=args.database, server=args.server, migrate=False)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        if args.reuse:
            event_id, viewer_id = 1, args.people  # as populate() wrote them
            event_live_again(event_id)
        else:
            started = time.perf_counter()
            event_id, viewer_id = populate(people=args.people, questions=args.questions, votes=args.votes)
            print(f"  written in {time.perf_counter() - started:.0f} s")
        from profiles.models import Profile

        viewer = Profile.objects.select_related("user").get(pk=viewer_id)
        load_before = os.getloadavg()
        rng = random.Random(7)
        server = Server(viewer.user)
        pages = {
            "event page": [f"/events/{event_id}/"],
            "event questions (poll)": [f"/events/{event_id}/questions/"],
            "events list": ["/events/"],
            "notifications (baseline)": ["/notifications/"],
        }
        results = []
        from events import selectors as event_selectors

        shipped = event_selectors.QUESTIONS_PAGE_SIZE
        for size in args.compare_page_size or []:
            # The same page with another number of cards per list (the "before" of a change of size),
            # measured in this run, under this load.
            event_selectors.QUESTIONS_PAGE_SIZE = size
            result = measure_page(
                server, f"event page, {size} per list", pages["event page"], requests=args.requests,
                warmup=args.warmup, rng=rng,
            )  # fmt: skip
            results.append(result)
        event_selectors.QUESTIONS_PAGE_SIZE = shipped
        for name, urls in pages.items():
            result = measure_page(server, name, urls, requests=args.requests, warmup=args.warmup, rng=rng)
            result.target_ms = TARGET_MS if name == "event page" else None
            if name == "event page":
                result.name = f"event page ({shipped} per list)"
            results.append(result)
        print()
        print_table(results, width=26)
        by_name = {r.name: r for r in results}
        event, baseline = by_name[f"event page ({shipped} per list)"], by_name["notifications (baseline)"]
        ratio = round(event.p50_ms / baseline.p50_ms, 2) if event.p50_ms and baseline.p50_ms else None
        print(f"\nEvent page p50 / notifications p50 (same run): {ratio}")
        results_write(
            args.output,
            database=args.database,
            load_before=load_before,
            people=args.people,
            questions=args.questions,
            votes=args.votes,
            target_ms=TARGET_MS,
            event_to_baseline_ratio=ratio,
            pages=[r.__dict__ for r in results],
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database, args.server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
