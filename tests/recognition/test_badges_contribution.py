"""The badges earned from how people help each other: "go-to person for #tag" (best answers on one #tag),
"connector" (in contact with people of 3 other departments in one month) and "welcomer" (the first reply to
a newcomer's post). Each is counted for everyone at once; the random company below is counted a second time,
independently, in plain Python over every row."""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from feed.mentions import mentions_find
from feed.models import Comment, Post, PostTag, Reaction
from notifications.models import Kind, Notification
from recognition import services
from recognition.models import Badge, BadgeAward, KudosRecipient
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    KudosFactory,
    PostFactory,
    ProfileFactory,
    ReactionFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
# Per rule badge: its count, who still works here, the insert, the notifications (people, preferences,
# insert), its savepoint; and for every #tag together a few more. None grows with the number of people.
QUERIES_PER_BADGE = 9
QUERIES_FOR_TAGS = 10


def _badges(profile) -> set[str]:
    return set(BadgeAward.objects.filter(profile=profile).values_list("badge__slug", flat=True))


def _tag_badges(profile) -> set[str]:
    return {slug for slug in _badges(profile) if slug.startswith("tag-")}


def _question(asker, tag: str, answerer, *, at=None) -> Post:
    question = PostFactory(author=asker, body=f"How do I do this in #{tag}?", kind=Post.Kind.QUESTION)
    question.tags.add(tag)
    answer = CommentFactory(post=question, author=answerer, body="Like this")
    question.best_answer = answer
    question.save(update_fields=["best_answer"])
    return question


def _in(department: str, **kwargs):
    return ProfileFactory(department=DepartmentFactory(name=department), **kwargs)


# --- go-to person for #tag ---------------------------------------------------------------------


def test_three_best_answers_on_one_tag_make_the_go_to_person_for_it_explained_on_the_profile(
    author, colleague, client
):
    for _ in range(3):
        _question(author, "python", colleague)
    for _ in range(2):
        _question(author, "sql", colleague)  # two are not enough
    _question(colleague, "python", colleague)  # answering oneself does not count

    services.badges_award()

    python = Badge.objects.get(tag__name="python")
    assert python.name == "Go-to person for #python"
    assert python.description == "Had 3 answers chosen as the best on questions tagged #python."
    assert _tag_badges(colleague) == {python.slug} and _tag_badges(author) == set()
    assert not Badge.objects.filter(tag__name="sql").exists()
    told = Notification.objects.filter(recipient=colleague, kind=Kind.BADGE).values_list("summary", flat=True)
    assert f"You earned the {python} badge: {python.description}" in told
    from tests.helpers import signed_in

    page = signed_in(author).get(f"/people/{colleague.pk}/").content.decode()
    assert f'title="{python.description}"' in page and "Go-to person for #python" in page


def test_an_admin_raising_a_tags_threshold_or_retiring_it_is_respected(author, colleague):
    for _ in range(3):
        _question(author, "python", colleague)
        _question(author, "go", colleague)
    services.badges_award()  # both badges exist now
    BadgeAward.objects.filter(badge__rule="tag").delete()
    Badge.objects.filter(tag__name="python").update(threshold=4)
    Badge.objects.filter(tag__name="go").update(is_active=False)

    assert services.badges_award() == 0
    _question(author, "python", colleague)
    assert services.badges_award() == 1
    assert _tag_badges(colleague) == {Badge.objects.get(tag__name="python").slug}


# --- connector -----------------------------------------------------------------------------------


def test_a_connector_is_in_contact_with_three_other_departments_in_one_month(settings):
    connie = _in("Sales", display_name="Connie Connector")
    eng = _in("Engineering", user__email="erin.eng@example.com")
    fin = _in("Finance")
    ops = _in("Operations")
    same = _in("Sales")
    CommentFactory(post=PostFactory(author=eng), author=connie)  # a reply to Engineering
    PostFactory(author=connie, body="Thanks @erin.eng for the fix")  # a mention: Engineering twice now
    for _ in range(2):
        CommentFactory(post=PostFactory(author=fin), author=connie)  # two replies to Finance
        CommentFactory(post=PostFactory(author=same), author=connie)  # her own department does not count
    KudosFactory(giver=connie, recipients=[ops])  # once to Operations: a passing contact
    for _ in range(3):  # reactions are not contact, however many
        ReactionFactory(post=PostFactory(author=ops), profile=connie)
    services.badges_award()
    assert "connector" not in _badges(connie)  # two other departments so far

    KudosFactory(giver=connie, recipients=[ops])  # the second contact with Operations, by kudos
    services.badges_award()
    assert "connector" in _badges(connie)
    assert "connector" not in _badges(eng) | _badges(fin) | _badges(ops)  # they were on the receiving end


def _twice(actor, *others, at=None, **kwargs):
    for other in others:
        for _ in range(2):
            CommentFactory(post=PostFactory(author=other), author=actor, created_at=at or NOW, **kwargs)


def test_interactions_in_different_months_do_not_add_up_and_removed_ones_do_not_count():
    connie = _in("Sales")
    eng, fin, ops = _in("Engineering"), _in("Finance"), _in("Operations")
    _twice(connie, eng, fin, at=NOW - timedelta(days=40))
    _twice(connie, ops, at=NOW)
    CommentFactory(post=PostFactory(author=fin), author=connie, created_at=NOW)
    removed = CommentFactory(post=PostFactory(author=fin), author=connie, created_at=NOW, removed_at=NOW)
    _twice(connie, eng, at=NOW, held_at=NOW)

    services.badges_award()
    assert "connector" not in _badges(connie)

    Comment.objects.filter(author=connie).update(removed_at=None, held_at=None)
    services.badges_award()
    assert "connector" in _badges(connie)
    assert removed.pk


def test_giving_kudos_checks_the_giver_for_connector_at_once(teamwork, django_capture_on_commit_callbacks):
    connie = _in("Sales")
    eng, fin, ops = _in("Engineering"), _in("Finance"), _in("Operations")
    _twice(connie, eng, fin)
    CommentFactory(post=PostFactory(author=ops), author=connie)
    with django_capture_on_commit_callbacks(execute=True):
        services.kudos_give(giver=connie, recipients=[ops], values=[teamwork], message="Thanks")
    assert "connector" in _badges(connie)


# --- welcomer ------------------------------------------------------------------------------------


def test_the_first_to_reply_to_a_newcomers_post_is_a_welcomer(settings):
    settings.HIVE_NEWCOMER_DAYS = 30
    today = timezone.localdate()
    nina = ProfileFactory(display_name="Nina Newcomer", start_date=today - timedelta(days=3))
    vera = ProfileFactory(display_name="Vera Veteran", start_date=date(2019, 1, 7))
    first, second, too_late = ProfileFactory(), ProfileFactory(), ProfileFactory()
    hello = PostFactory(author=nina, body="Hello, I'm new here!")
    CommentFactory(
        post=hello, author=nina, created_at=NOW - timedelta(hours=3)
    )  # her own comment is not a reply
    CommentFactory(post=hello, author=first, created_at=NOW - timedelta(hours=2))
    CommentFactory(post=hello, author=second, created_at=NOW - timedelta(hours=1))
    CommentFactory(post=PostFactory(author=vera), author=too_late)  # Vera is no newcomer

    services.badges_award()

    assert "welcomer" in _badges(first)
    assert "welcomer" not in _badges(second) | _badges(nina) | _badges(too_late)
    assert Badge.objects.get(slug="welcomer").description == (
        "Was the first to reply to a newcomer's post in their first weeks."
    )


def test_a_post_written_after_the_first_weeks_or_a_removed_first_reply_does_not_make_a_welcomer(settings):
    settings.HIVE_NEWCOMER_DAYS = 30
    today = timezone.localdate()
    old_hand = ProfileFactory(start_date=today - timedelta(days=45))
    late_reply = ProfileFactory()
    CommentFactory(post=PostFactory(author=old_hand), author=late_reply)
    nina = ProfileFactory(start_date=today - timedelta(days=2))
    hello = PostFactory(author=nina)
    removed = ProfileFactory()
    next_one = ProfileFactory()
    CommentFactory(post=hello, author=removed, created_at=NOW - timedelta(hours=2), removed_at=NOW)
    CommentFactory(post=hello, author=next_one, created_at=NOW - timedelta(hours=1))

    services.badges_award()

    assert "welcomer" not in _badges(late_reply) | _badges(removed)
    assert "welcomer" in _badges(next_one)  # the first reply still up


# --- all three, counted independently on a random company ----------------------------------------


def _independent_count(days: int) -> dict[str, set[tuple[str, int]]]:
    """Every award the three rules should make, counted row by row in Python."""
    people = {p.pk: p for p in ProfileFactory._meta.model.objects.select_related("user", "department")}
    active = {pk for pk, p in people.items() if p.user.is_active}
    expected: dict[str, set] = {"connector": set(), "welcomer": set(), "tag": set()}
    posts = {p.pk: p for p in Post.objects.all()}
    comments = list(Comment.objects.all())

    # Go-to: best answers per (answerer, tag), the question and answer up, not one's own question.
    by_pk = {c.pk: c for c in comments}
    per_tag: dict[tuple[int, str], int] = defaultdict(int)
    tags_of: dict[int, list[str]] = defaultdict(list)
    for row in PostTag.objects.select_related("tag"):
        tags_of[row.content_object_id].append(row.tag.name)
    for post in posts.values():
        answer = by_pk.get(post.best_answer_id)
        if (
            answer
            and post.removed_at is None
            and answer.removed_at is None
            and answer.author_id != post.author_id
        ):
            for tag in tags_of[post.pk]:
                per_tag[(answer.author_id, tag)] += 1
    expected["tag"] = {(tag, pk) for (pk, tag), n in per_tag.items() if n >= 3 and pk in active}

    # Connector: (actor, month) -> departments other than their own.
    def month(at: datetime) -> tuple[int, int]:
        local = timezone.localtime(at)
        return local.year, local.month

    # (actor, month) -> {department other than their own: replies, @mentions and kudos to its people}
    touched: dict[tuple[int, tuple[int, int]], dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def touch(actor: int, target: int, at: datetime) -> None:
        if actor == target:
            return
        mine, theirs = people[actor].department_id, people[target].department_id
        if theirs is not None and theirs != mine:
            touched[(actor, month(at))][theirs] += 1

    up = lambda row: row.removed_at is None and row.held_at is None  # noqa: E731
    for c in comments:
        post = posts[c.post_id]
        if up(c) and post.removed_at is None:
            parent = by_pk.get(c.parent_id)
            touch(c.author_id, parent.author_id if parent else post.author_id, c.created_at)
    # Reactions are not contact: not counted.
    handles = {p.user.email.split("@")[0].lower(): pk for pk, p in people.items() if p.user.is_active}
    for row in [*posts.values(), *comments]:
        if up(row):
            for handle in mentions_find(row.body):
                if handle in handles:
                    touch(row.author_id, handles[handle], row.created_at)
    for k in KudosRecipient.objects.select_related("kudos"):
        if k.kudos.removed_at is None:
            touch(k.giver_id, k.recipient_id, k.created_at)
    expected["connector"] = {
        ("connector", a)
        for (a, _), deps in touched.items()
        if sum(n >= 2 for n in deps.values()) >= 3 and a in active
    }

    # Welcomer: the first reply by someone else to a newcomer's own post.
    for post in posts.values():
        author = people[post.author_id]
        since = author.start_date or timezone.localdate(author.created_at)
        written = timezone.localdate(post.created_at)
        if not (
            up(post)
            and post.kind not in ("kudos", "celebration")
            and since <= written < since + timedelta(days=days)
        ):
            continue
        replies = sorted(
            (c for c in comments if c.post_id == post.pk and up(c) and c.author_id != post.author_id),
            key=lambda c: (c.created_at, c.pk),
        )
        if replies and replies[0].author_id in active:
            expected["welcomer"].add(("welcomer", replies[0].author_id))
    return expected


@pytest.mark.parametrize("seed", [1, 2])
def test_a_random_company_gets_exactly_the_badges_an_independent_count_finds(seed, settings):
    settings.HIVE_NEWCOMER_DAYS = 30
    rng = random.Random(seed)
    today = timezone.localdate()
    departments = [DepartmentFactory(name=f"Dept {n}") for n in range(5)]
    people = [
        ProfileFactory(
            department=rng.choice([*departments, None]),
            start_date=today - timedelta(days=rng.choice([2, 10, 25, 40, 400])),
            user__email=f"p{seed}x{n}@example.com",
            user__is_active=rng.random() > 0.08,
        )
        for n in range(24)
    ]
    for tag in ["python", "sql", "go"]:
        Tag.objects.get_or_create(name=tag, slug=tag)
    posts = []
    for _ in range(70):
        author = rng.choice(people)
        at = NOW - timedelta(days=rng.choice([0, 1, 5, 12, 20, 33, 70]), hours=rng.randint(0, 20))
        mention = f" cc @p{seed}x{rng.randrange(24)}" if rng.random() < 0.3 else ""
        kind = rng.choice([Post.Kind.UPDATE, Post.Kind.QUESTION, Post.Kind.QUESTION, Post.Kind.CELEBRATION])
        post = PostFactory(
            author=author, body=f"Post{mention}", kind=kind, created_at=at,
            removed_at=NOW if rng.random() < 0.05 else None,
        )  # fmt: skip
        if kind == Post.Kind.QUESTION:
            post.tags.add(rng.choice(["python", "python", "sql", "go"]))
        posts.append(post)
    for _ in range(220):
        post = rng.choice(posts)
        parent = None
        if rng.random() < 0.2:
            parent = Comment.objects.filter(post=post, parent__isnull=True).first()
        # A few people answer much more than others (the experts a #tag's go-to badge finds).
        comment = CommentFactory(
            post=post, parent=parent, author=rng.choice(people[:2] if rng.random() < 0.6 else people),
            body=f"Reply cc @p{seed}x{rng.randrange(24)}" if rng.random() < 0.2 else "Reply",
            created_at=post.created_at + timedelta(minutes=rng.randint(1, 3000)),
            removed_at=NOW if rng.random() < 0.05 else None,
            held_at=NOW if rng.random() < 0.03 else None,
        )  # fmt: skip
        if post.kind == Post.Kind.QUESTION and rng.random() < 0.5 and comment.removed_at is None:
            post.best_answer = comment
            post.save(update_fields=["best_answer"])
    for _ in range(120):
        post = rng.choice(posts)
        person = rng.choice(people)
        if not Reaction.objects.filter(post=post, profile=person).exists():
            ReactionFactory(post=post, profile=person, created_at=post.created_at + timedelta(hours=1))
    for _ in range(40):
        giver, recipient = rng.sample(people, 2)
        kudos = KudosFactory(
            giver=giver, recipients=[recipient], created_at=NOW - timedelta(days=rng.choice([0, 3, 35]))
        )
        if rng.random() < 0.1:
            kudos.removed_at = NOW
            kudos.save(update_fields=["removed_at"])

    expected = _independent_count(days=30)
    services.badges_award()

    got = defaultdict(set)
    for slug, rule, tag, pk in BadgeAward.objects.values_list(
        "badge__slug", "badge__rule", "badge__tag__name", "profile_id"
    ):
        if rule in ("connector", "welcomer"):
            got[rule].add((slug, pk))
        elif rule == "tag":
            got["tag"].add((tag, pk))
    assert got["connector"] == expected["connector"]
    assert got["welcomer"] == expected["welcomer"]
    assert got["tag"] == expected["tag"]
    assert expected["connector"] and expected["welcomer"] and expected["tag"], (
        "the company exercises every rule"
    )
    assert services.badges_award() == 0  # a rerun awards nobody twice


# --- a fixed number of queries whatever the size --------------------------------------------------


def _company(size: int) -> None:
    departments = [DepartmentFactory(name=f"Dept {n}") for n in range(4)]
    today = timezone.localdate()
    for n in range(size):
        connector = ProfileFactory(department=departments[0], start_date=today - timedelta(days=5))
        others = [ProfileFactory(department=d) for d in departments[1:]]
        for other in others:
            for _ in range(2):
                CommentFactory(post=PostFactory(author=other), author=connector)
        hello = PostFactory(author=connector)
        CommentFactory(post=hello, author=others[0])
        for _ in range(3):
            _question(connector, f"topic{n % 2}", others[1])


def test_awarding_takes_the_same_queries_for_one_person_or_many(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.HIVE_NEWCOMER_DAYS = 30
    services.badges_ensure()
    counted = []
    for blocks in (1, 5):
        BadgeAward.objects.all().delete()  # everyone earns everything again: the same work, more people
        _company(blocks)
        with CaptureQueriesContext(connection) as queries:
            awarded = services.badges_award()
        counted.append(len(queries))
        assert awarded >= 3 * blocks  # a connector, a welcomer and a go-to person (at least) per block
    rule_badges = Badge.objects.filter(is_active=True).exclude(rule__in=["manual", "tag"]).count()
    assert counted[0] == counted[1] <= QUERIES_PER_BADGE * rule_badges + QUERIES_FOR_TAGS + 3
