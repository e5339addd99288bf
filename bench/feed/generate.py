"""Feed scale benchmark, step 1: a scratch PostgreSQL database with a busy company feed.

    .venv/bin/python bench/feed/generate.py --fresh               # hive_feedbench, full size
    .venv/bin/python bench/feed/generate.py --fresh --posts 100000  # a tenth of the feed

Makes 100,000 people (bench/people's generator, without its posts and projects), 2,000 groups of
Zipf-like sizes (20% private), 1,000,000 posts (70% company feed, 30% in groups), about 2,000,000
comments and 3,000,000 reactions (the posts' counters equal the rows), #tags, and one benchmark
viewer who follows 50 people and 3 tags and belongs to 10 groups. Rows go in with COPY
(bench.people.generate.copy_rows); the core, `populate(size=...)`, runs on whatever database Django
is connected to, so tests/bench/test_feed_generate_smoke.py runs it at a tiny size in the test database.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people import generate as people  # noqa: E402
from bench.people.generate import _pick, _unique_slugs, _zipf_cum, copy_rows, reset_sequences  # noqa: E402

DEFAULT_DATABASE = "hive_feedbench"
REFUSED = {"hive", "postgres", "template0", "template1"}
VIEWER_FOLLOWS_PEOPLE = 50
VIEWER_GROUPS = 10
VIEWER_TAGS = 3

GROUP_TOPICS = [
    "Kubernetes", "Python", "Data", "Design", "Security", "Frontend", "Mobile", "Cloud cost", "Accessibility",
    "Sales", "Finance", "Legal", "Onboarding", "Sustainability", "Diversity", "Parents", "Running", "Cycling",
    "Board games", "Photography", "Book", "Cooking", "Music", "Chess", "Climbing", "Gardening", "Coffee",
    "Football", "Yoga", "Languages", "Volunteering", "Hackathon", "Incident review", "Analytics", "Support",
    "Recruiting", "Product", "Platform", "Observability", "Machine learning",
]  # fmt: skip
GROUP_NOUNS = ["guild", "club", "circle", "community", "chapter", "network", "crew", "forum", "team", "lab"]
SOCIAL_TOPICS = {
    "Parents", "Running", "Cycling", "Board games", "Photography", "Book", "Cooking", "Music", "Chess",
    "Climbing", "Gardening", "Coffee", "Football", "Yoga", "Languages", "Volunteering",
}  # fmt: skip
GENERIC_TAGS = [
    "onboarding", "release", "offsite", "hiring", "wins", "til", "security", "oncall", "sustainability",
    "hackathon", "allhands", "incident", "roadmap", "q3", "q4", "okrs", "wellbeing", "learning", "demo",
    "retro", "customers", "launch", "bugbash", "mentoring", "accessibility", "design", "data", "cloud",
]  # fmt: skip
QUESTION_BODIES = [
    "Does anyone know who owns {a} these days? I need a review before Friday.",
    "What is the best way to get started with {a} coming from {b}?",
    "Has anyone in {dept} solved {a} timeouts under load? We are stuck.",
    "Which team can help me with a {a} question about {b}?",
    "Is there a recommended course on {a}? Budget is approved.",
]
COMMENT_BODIES = [
    "Great news, congratulations!", "Thanks for sharing this.", "+1, we saw the same in our team.",
    "Could you share the slides?", "Happy to help, ping me.", "Interesting, how did you measure it?",
    "We tried {a} last year, happy to compare notes.", "This is really useful, bookmarking it.",
    "Count me in!", "Have you talked to the {dept} folks? They did something similar.",
    "Nice work on the {a} part.", "I disagree a little: {b} worked better for us.",
]  # fmt: skip


@dataclass(frozen=True)
class Size:
    """How big a feed to make; the default is the issue's target."""

    employees: int = 100_000
    groups: int = 2_000
    posts: int = 1_000_000
    comments: int = 2_000_000
    reactions: int = 3_000_000
    # Share of posts in groups (the rest go to the company feed).
    group_share: float = 0.30
    private_share: float = 0.20
    # Largest group's size; the others fall off like a Zipf curve.
    biggest_group: int = 20_000
    tags: int = 300
    tagged_share: float = 0.15
    # Posts with a long thread (hundreds of comments), for the post page.
    hot_posts: int = 20
    hot_comments: int = 300
    # The feed spans this many days up to now.
    days: int = 730

    @classmethod
    def scaled(cls, *, employees: int, posts: int | None = None) -> Size:
        ratio = employees / cls.employees
        posts = posts if posts is not None else int(cls.posts * ratio)
        post_ratio = posts / cls.posts
        return cls(
            employees=employees,
            groups=max(5, int(cls.groups * ratio)),
            posts=posts,
            comments=int(cls.comments * post_ratio),
            reactions=int(cls.reactions * post_ratio),
            biggest_group=max(10, int(cls.biggest_group * ratio)),
            tags=min(cls.tags, max(20, employees // 5)),
            hot_posts=max(2, min(cls.hot_posts, posts // 100)),
            hot_comments=min(cls.hot_comments, max(20, employees // 4)),
        )


@dataclass
class Feed:
    """What populate() made, for the command line, measure.py and the smoke test."""

    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    viewer_id: int = 0
    viewer_group_ids: list[int] = field(default_factory=list)
    viewer_followee_ids: list[int] = field(default_factory=list)
    viewer_tag_ids: list[int] = field(default_factory=list)
    hot_post_ids: list[int] = field(default_factory=list)


def _people_size(size: Size) -> people.Size:
    """The people bench's company without its posts, projects and endorsements (not measured here)."""
    base = (
        people.Size()
        if size.employees == people.Size.employees
        else people.Size.scaled(employees=size.employees)
    )
    return dataclasses.replace(
        base, posts=0, projects=0, endorsements=0, skills_per_person=3, interests_per_person=1
    )


def _tag_names(count: int) -> list[str]:
    from bench.people.vocabulary import SKILL_FAMILIES

    names: dict[str, None] = dict.fromkeys(GENERIC_TAGS)
    for family in SKILL_FAMILIES.values():
        for skill in family:
            word = "".join(ch for ch in skill.lower() if ch.isalnum())
            if word and len(word) <= 40:
                names.setdefault(word, None)
    out = list(names)
    i = 2
    while len(out) < count:  # more tags than words: numbered variants ("release2")
        out += [f"{name}{i}" for name in list(names)[: count - len(out)]]
        i += 1
    return out[:count]


def populate(*, size: Size = Size(), seed: int = 2026, log: Callable[[str], None] = print) -> Feed:
    """Insert people, groups and a feed into the connected database (inside or outside a transaction)."""
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag

    from bench.people import vocabulary as vocab
    from communities.models import Community, Membership
    from feed.models import Comment, FollowPerson, FollowTag, Post, PostTag, Reaction
    from profiles.models import Profile

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    feed = Feed()
    stage_started = time.perf_counter()

    def stage_done(name: str, **counts: int) -> None:
        nonlocal stage_started
        elapsed = time.perf_counter() - stage_started
        feed.timings[name] = elapsed
        feed.counts.update(counts)
        log(f"  {name:<12} {elapsed:7.1f} s  " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        stage_started = time.perf_counter()

    # People: the people bench's company (names, departments, skills), minus what we don't measure.
    company = people.populate(size=_people_size(size), seed=seed, log=log)
    feed.timings.update({f"people.{k}": v for k, v in company.timings.items()})
    stage_started = time.perf_counter()
    pids = company.profile_ids
    n = len(pids)
    feed.counts.update(company.counts)
    inactive = set(
        Profile.objects.filter(id__range=(pids[0], pids[-1]), user__is_active=False).values_list(
            "id", flat=True
        )
    )
    active = [i for i in range(n) if pids[i] not in inactive]
    departments = [d[0] for d in vocab.DEPARTMENTS]
    skill_words = [name for family in vocab.SKILL_FAMILIES.values() for name in family]

    # The benchmark viewer: an ordinary active employee in the middle of the company.
    viewer = active[len(active) // 2]
    feed.viewer_id = pids[viewer]

    # Groups: Zipf-like sizes, 20% private; the viewer is in 10 of them, picked by size like anyone.
    g_count = size.groups
    group_ids = [people._next_id(Community) + g for g in range(g_count)]
    group_sizes = [
        min(n, max(3, int(size.biggest_group / (g + 1) ** 0.9))) for g in range(g_count)
    ]  # fmt: skip
    group_cum = _zipf_cum(g_count, 0.9)
    viewer_groups: set[int] = set()
    while len(viewer_groups) < min(VIEWER_GROUPS, g_count):
        viewer_groups.add(_pick(rng, range(g_count), group_cum))
    combos = len(GROUP_TOPICS) * len(GROUP_NOUNS)
    names = [
        f"{GROUP_TOPICS[g % len(GROUP_TOPICS)]} {GROUP_NOUNS[(g // len(GROUP_TOPICS)) % len(GROUP_NOUNS)]}"
        + (f" {g // combos + 1}" if g >= combos else "")
        for g in range(g_count)
    ]
    slugs = _unique_slugs(names, slugify)
    members: list[list[int]] = []
    membership_rows = []
    membership_base = people._next_id(Membership)
    group_rows = []
    private = set(rng.sample(range(g_count), int(g_count * size.private_share)))
    span = dt.timedelta(days=size.days)
    for g in range(g_count):
        chosen = rng.sample(active, min(group_sizes[g], len(active)))
        if g in viewer_groups and viewer not in chosen:
            chosen[-1] = viewer
        elif g not in viewer_groups and viewer in chosen:
            chosen.remove(viewer)  # exactly VIEWER_GROUPS groups, as the benchmark user
        members.append(chosen)
        created = now - span - dt.timedelta(days=rng.randint(1, 400))
        topic = GROUP_TOPICS[g % len(GROUP_TOPICS)]
        group_rows.append(
            (
                group_ids[g],
                names[g],
                slugs[g],
                f"A place for everyone interested in {topic.lower()}.",
                "social" if topic in SOCIAL_TOPICS else "work",
                "private" if g in private else "public",
                pids[chosen[0]],
                created,
                len(chosen),
            )
        )
        for k, person in enumerate(chosen):
            membership_rows.append(
                (membership_base + len(membership_rows), group_ids[g], pids[person],
                 "admin" if k == 0 else "member", created)
            )  # fmt: skip
    copy_rows(
        Community,
        ["id", "name", "slug", "description", "category", "visibility", "created_by_id", "created_at",
         "member_count"],
        group_rows,
    )  # fmt: skip
    copy_rows(Membership, ["id", "community_id", "profile_id", "role", "joined_at"], membership_rows)
    feed.viewer_group_ids = sorted(group_ids[g] for g in viewer_groups)
    stage_done("groups", groups=g_count, private_groups=len(private), memberships=len(membership_rows))
    del membership_rows, group_rows

    # Tags, and what the viewer follows.
    tag_names = _tag_names(size.tags)
    tag_base = people._next_id(Tag)
    tag_ids = [tag_base + i for i in range(len(tag_names))]
    copy_rows(
        Tag, ["id", "name", "slug"], zip(tag_ids, tag_names, _unique_slugs(tag_names, slugify), strict=True)
    )
    tag_cum = _zipf_cum(len(tag_ids), 1.0)
    followees = rng.sample([i for i in active if i != viewer], min(VIEWER_FOLLOWS_PEOPLE, len(active) - 1))
    feed.viewer_followee_ids = [pids[i] for i in followees]
    # A popular tag, a middling one and a rare one.
    followed_tags = sorted({min(len(tag_ids) - 1, r) for r in (3, len(tag_ids) // 8, len(tag_ids) // 2)})
    feed.viewer_tag_ids = [tag_ids[t] for t in followed_tags]
    follow_base, follow_tag_base = people._next_id(FollowPerson), people._next_id(FollowTag)
    copy_rows(
        FollowPerson,
        ["id", "follower_id", "followee_id", "created_at"],
        ((follow_base + k, pids[viewer], pids[p], now - dt.timedelta(days=k + 1))
         for k, p in enumerate(followees)),
    )  # fmt: skip
    copy_rows(
        FollowTag,
        ["id", "follower_id", "tag_id", "created_at"],
        ((follow_tag_base + k, pids[viewer], tag_ids[t], now) for k, t in enumerate(followed_tags)),
    )
    stage_done("follows", tags=len(tag_ids), follow_people=len(followees), follow_tags=len(followed_tags))

    # Per-post comment and reaction counts first: the posts carry them, the rows follow.
    p_count = size.posts
    mean_c = size.comments / p_count if p_count else 0
    mean_r = size.reactions / p_count if p_count else 0
    hot = set(rng.sample(range(p_count), min(size.hot_posts, p_count)))
    c_counts, r_counts = [0] * p_count, [0] * p_count
    # A heavy tail: most posts get a few, 2% get many.
    expo_c, expo_r = 1 / (mean_c * 0.75 + 0.5) if mean_c else 0, 1 / (mean_r * 0.75 + 0.5) if mean_r else 0
    for j in range(p_count):
        if j in hot:
            c_counts[j] = min(size.hot_comments, n)
            r_counts[j] = min(n, int(mean_r * 100) + 1)
            continue
        if mean_c:
            c = int(rng.expovariate(expo_c))
            if rng.random() < 0.02:
                c += rng.randint(0, int(mean_c * 25))
            c_counts[j] = min(c, n)
        if mean_r:
            r = int(rng.expovariate(expo_r))
            if rng.random() < 0.02:
                r += rng.randint(0, int(mean_r * 25))
            r_counts[j] = min(r, n)

    # Posts: oldest first, so ids rise with time as they do in production.
    post_base, comment_base = people._next_id(Post), people._next_id(Comment)
    posttag_base = people._next_id(PostTag)
    step = span / max(1, p_count)
    start = now - span
    post_tags: list[tuple[int, int, int]] = []
    group_post_cum = _zipf_cum(g_count, 0.9)
    announcements: list[int] = []
    kinds = {"update": 0, "question": 0, "announcement": 0}
    removed = 0

    def post_rows():
        nonlocal removed
        first_comment = comment_base
        for j in range(p_count):
            created = start + step * j
            community_id = None
            if j not in hot and rng.random() < size.group_share:
                g = _pick(rng, range(g_count), group_post_cum)
                community_id = group_ids[g]
                author = rng.choice(members[g])
            else:
                author = rng.randrange(n)
            roll = rng.random()
            kind = (
                "question"
                if roll < 0.12
                else ("announcement" if roll < 0.123 and community_id is None else "update")
            )
            kinds[kind] += 1
            a, b = rng.choice(skill_words), rng.choice(skill_words)
            template = rng.choice(QUESTION_BODIES if kind == "question" else vocab.POST_BODIES)
            body = template.format(
                a=a, b=b, dept=rng.choice(departments), loc="the office", project=f"{a} rollout"
            )
            if rng.random() < size.tagged_share:
                chosen = {_pick(rng, range(len(tag_ids)), tag_cum) for _ in range(rng.randint(1, 2))}
                body += " " + " ".join(f"#{tag_names[t]}" for t in sorted(chosen))
                for t in sorted(chosen):
                    post_tags.append((posttag_base + len(post_tags), tag_ids[t], post_base + j))
            pinned = None
            if kind == "announcement":
                announcements.append(post_base + j)
                pinned = created + dt.timedelta(days=7)
            best = first_comment if kind == "question" and c_counts[j] and rng.random() < 0.4 else None
            gone = None
            if j not in hot and rng.random() < 0.005:
                gone, removed = created + dt.timedelta(hours=1), removed + 1
            yield (post_base + j, pids[author], community_id, kind, body, created, c_counts[j], r_counts[j],
                   pinned, best, gone, pids[author] if gone else None)  # fmt: skip
            first_comment += c_counts[j]

    count = copy_rows(
        Post,
        ["id", "author_id", "community_id", "kind", "body", "created_at", "comment_count", "reaction_count",
         "pinned_until", "best_answer_id", "removed_at", "removed_by_id"],
        post_rows(),
    )  # fmt: skip
    copy_rows(PostTag, ["id", "tag_id", "content_object_id"], post_tags)
    # The three latest company announcements are pinned now, as on a real Monday morning.
    Post.objects.filter(pk__in=announcements[-3:]).update(pinned_until=now + dt.timedelta(days=7))
    feed.hot_post_ids = sorted(post_base + j for j in hot)
    stage_done("feed posts", posts=count, post_tags=len(post_tags), removed_posts=removed, **kinds)
    post_tags.clear()

    # Comments: a thread per post; 30% are replies to an earlier top-level comment of the same post.
    def comment_rows():
        cid = comment_base
        for j in range(p_count):
            c = c_counts[j]
            if not c:
                continue
            created = start + step * j
            top: list[int] = []
            for k in range(c):
                parent = rng.choice(top) if top and rng.random() < 0.3 else None
                if parent is None:
                    top.append(cid)
                body = rng.choice(COMMENT_BODIES).format(a=rng.choice(skill_words), b=rng.choice(skill_words),
                                                         dept=rng.choice(departments))  # fmt: skip
                yield (cid, post_base + j, parent, pids[rng.randrange(n)], body,
                       min(now, created + dt.timedelta(minutes=k * 3 + 1)))  # fmt: skip
                cid += 1

    comments = copy_rows(
        Comment, ["id", "post_id", "parent_id", "author_id", "body", "created_at"], comment_rows()
    )
    stage_done("comments", comments=comments)

    reaction_kinds = ["like"] * 6 + ["celebrate"] * 2 + ["insightful"] * 1 + ["support"] * 1

    def reaction_rows():
        rid = people._next_id(Reaction)
        population = range(n)
        for j in range(p_count):
            r = r_counts[j]
            if not r:
                continue
            created = min(now, start + step * j + dt.timedelta(minutes=5))
            for person in rng.sample(population, r):
                yield (rid, post_base + j, pids[person], rng.choice(reaction_kinds), created)
                rid += 1

    reactions = copy_rows(Reaction, ["id", "post_id", "profile_id", "kind", "created_at"], reaction_rows())
    stage_done("reactions", reactions=reactions)

    reset_sequences([Community, Membership, Tag, FollowPerson, FollowTag, Post, PostTag, Comment, Reaction])
    return feed


def _has_column(cursor, table: str, column: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s", [table, column]
    )
    return cursor.fetchone() is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help=f"scratch database (default {DEFAULT_DATABASE})"
    )
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", people.DEFAULT_SERVER))
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--employees", type=int, default=Size.employees)
    parser.add_argument("--posts", type=int, default=None, help="default 1,000,000 at full size, scaled")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.database in REFUSED:
        parser.error(f"refusing to use {args.database!r}: give the benchmark its own scratch database")

    started = time.perf_counter()
    people._recreate_database(args.database, args.server, fresh=args.fresh)
    people.configure_django(people.database_url(args.database, args.server))
    from django.core.management import call_command
    from django.db import connection, transaction

    from profiles.models import Profile

    print(f"Database {args.database}: migrating")
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"  {'migrate':<12} {time.perf_counter() - t:7.1f} s")
    if Profile.objects.exists():
        print(f"{args.database} already holds people; pass --fresh to rebuild it.", file=sys.stderr)
        return 2
    if args.employees == Size.employees and args.posts is None:
        size = Size()
    else:
        size = Size.scaled(employees=args.employees, posts=args.posts)
    print(
        f"Generating {size.employees:,} people, {size.groups:,} groups, {size.posts:,} posts"
        f" (seed {args.seed})"
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The rows are consistent by construction: skip the per-row foreign-key triggers, which
            # would otherwise queue millions of deferred checks until the commit (superuser only).
            cursor.execute("SET LOCAL session_replication_role = replica")
        feed = populate(size=size, seed=args.seed)
        t = time.perf_counter()
    print(f"  {'commit':<12} {time.perf_counter() - t:7.1f} s")

    t = time.perf_counter()
    with connection.cursor() as cursor:
        # Replica mode skipped every trigger, search's too (search/migrations/0007 keeps each post's and
        # comment's search_vector, and 0012 each comment's copy of its post's group): touching the body
        # fires it, so the vectors and copies are search's own.
        for table in ("feed_post", "feed_comment"):
            if _has_column(cursor, table, "search_vector"):
                cursor.execute(f"UPDATE {table} SET body = body WHERE search_vector IS NULL")
    print(f"  {'vectors':<12} {time.perf_counter() - t:7.1f} s  (search_vector of posts and comments)")

    t = time.perf_counter()
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the visibility map and statistics autovacuum would make
    print(f"  {'analyze':<12} {time.perf_counter() - t:7.1f} s  (VACUUM ANALYZE)")
    total = time.perf_counter() - started
    rows = sum(v for k, v in feed.counts.items() if k not in {"inactive", "private_groups", "removed_posts",
               "update", "question", "announcement"})  # fmt: skip
    print(
        f"Done: {rows:,} rows in {total:.1f} s ({total / 60:.1f} min). Viewer: profile #{feed.viewer_id} "
        f"(follows {len(feed.viewer_followee_ids)} people and {len(feed.viewer_tag_ids)} tags, "
        f"in groups {feed.viewer_group_ids}). Password for everyone: {people.PASSWORD}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
