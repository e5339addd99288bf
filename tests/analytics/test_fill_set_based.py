"""PostgreSQL's fill of a range of days at once (analytics/fill_arrays.py for people's figures,
analytics/fill_sql.py for groups) against the per-day fill, which asks each figure for each day's
per-person counts in Python: on random companies where people move, leave, join and cross tenure
anniversaries (29 February included) during the range, every stored segment, interaction and group
row is the same. Also: a backfill killed in a chunk keeps the chunks
it finished and leaves the rest as they were."""

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from analytics import fill
from analytics.figures import FIGURE_NAMES
from analytics.fill import SEGMENTS, groups_fill, placements_record, segments_backfill
from analytics.models import ActiveDay, FillState, GroupDay, InteractionDay, SegmentDay
from communities.models import Community
from feed.models import AnnouncementView, Comment, Post, Reaction
from profiles.models import Profile
from recognition.models import Kudos, KudosRecipient
from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

START, END = date(2024, 2, 20), date(2024, 3, 12)  # across 29 February
# Start dates whose tenure band turns over inside the 2024 or 2025 range: after 1, 3, 4 and 10 years,
# and a 29 February start in a year without one (it turns over on 1 March, not 28 February).
ANNIVERSARIES = [
    date(2023, 2, 25), date(2021, 2, 28), date(2020, 2, 29), date(2014, 3, 5), date(2021, 3, 1),
    date(2024, 2, 29), date(2022, 2, 28), date(2015, 3, 1), date(2022, 3, 1),
]  # fmt: skip


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def build(seed: int, start: date = START, end: date = END) -> None:
    r = random.Random(seed)
    departments = [DepartmentFactory(name=f"Department {seed}-{i}") for i in range(3)]
    locations = [LocationFactory(name=f"Office {seed}-{i}") for i in range(2)]
    people = []
    for _ in range(r.randint(25, 70)):
        began = (
            r.choice(ANNIVERSARIES) if r.random() < 0.4 else date(2024, 1, 1) - timedelta(r.randint(0, 5000))
        )
        people.append(
            ProfileFactory(
                department=r.choice(departments) if r.random() < 0.95 else None,
                location=r.choice(locations) if r.random() < 0.95 else None,
                start_date=None if r.random() < 0.05 else began,
            )
        )
    # Two who come only on days exactly 7 and 28 days apart: the edges of the rolling windows.
    edge = [ProfileFactory(department=departments[1], location=locations[1]) for _ in range(2)]
    placements_record(day=start - timedelta(days=60))
    # Half-way: a few move, one leaves, two join.
    for person in r.sample(people, 4):
        person.department = r.choice(departments)
        person.save()
    leaver = r.choice(people)
    leaver.user.is_active = False
    leaver.user.save()
    people += [
        ProfileFactory(department=departments[0], location=locations[0], start_date=start) for _ in range(2)
    ]
    placements_record(day=start + timedelta(days=9))

    window = days(start - timedelta(days=40), end + timedelta(days=2))
    habit = {p.pk: r.random() ** 2 for p in people}
    ActiveDay.objects.bulk_create(
        [ActiveDay(profile_id=p.pk, day=d) for p in people for d in window if r.random() < habit[p.pk]]
    )
    groups = [
        Community.objects.create(
            name=f"Group {seed}-{i}", slug=f"group-{seed}-{i}", created_by=people[0],
            created_at=at(start - timedelta(days=r.randint(-5, 60)), 9),
        )
        for i in range(4)
    ]  # fmt: skip
    posts = []
    for _ in range(r.randint(40, 120)):
        posts.append(
            Post(
                author=r.choice(people), body="post", created_at=at(r.choice(window), r.randint(0, 23)),
                kind=r.choice([Post.Kind.UPDATE, Post.Kind.QUESTION, Post.Kind.KUDOS]),
                community=r.choice([None, None, *groups]),
                removed_at=timezone.now() if r.random() < 0.05 else None,
            )
        )  # fmt: skip
    posts = Post.objects.bulk_create(posts)
    comments = Comment.objects.bulk_create(
        [
            Comment(
                post=r.choice(posts), author=r.choice(people), body="c", created_at=at(r.choice(window), 12)
            )
            for _ in range(r.randint(40, 120))
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                post=c.post, parent=c, author=r.choice(people), body="r", created_at=at(r.choice(window), 15)
            )
            for c in r.sample(comments, len(comments) // 3)
        ]
    )
    Reaction.objects.bulk_create(
        [
            Reaction(post=r.choice(posts), profile=r.choice(people), created_at=at(r.choice(window), 18))
            for _ in range(150)
        ],
        ignore_conflicts=True,
    )
    announcements = [p for p in posts if p.kind == Post.Kind.UPDATE][:5]
    AnnouncementView.objects.bulk_create(
        [
            AnnouncementView(post=post, profile=p, seen_at=at(r.choice(window), r.randint(0, 23)))
            for post in announcements
            for p in r.sample(people, len(people) // 2)
        ]
    )
    for _ in range(r.randint(5, 25)):
        giver, *recipients = r.sample(people, 3)
        when = at(r.choice(window), 16)
        kudos = Kudos.objects.create(giver=giver, message="thanks", created_at=when, is_private=True)
        KudosRecipient.objects.bulk_create(
            [KudosRecipient(kudos=kudos, recipient=p, giver=giver, created_at=when) for p in recipients]
        )
    ActiveDay.objects.bulk_create(
        [ActiveDay(profile=edge[0], day=start + timedelta(days=n)) for n in (-3, 4, 18)]
        + [ActiveDay(profile=edge[1], day=start + timedelta(days=n)) for n in (-27, 1, 12)],
        ignore_conflicts=True,
    )
    assert Profile.objects.count() >= 25


def stored() -> dict:
    def rows(model, *order):
        return [{k: v for k, v in r.items() if k != "id"} for r in model.objects.order_by(*order).values()]

    # Each segment by what it is, not by its id.
    axes = {f"segment__{axis}": axis for axis in ("department", "location", "tenure")}
    segments = SegmentDay.objects.order_by("day", *axes).values("day", *axes, *FIGURE_NAMES)
    return {
        "segments": [{axes.get(k, k): v for k, v in r.items()} for r in segments],
        "interactions": rows(InteractionDay, "day", "source", "target"),
        "groups": rows(GroupDay, "day"),
    }


def reference(start: date = START, end: date = END) -> dict:
    """The per-day fill, a day at a time, on the same data."""
    SegmentDay.objects.all().delete()
    InteractionDay.objects.all().delete()
    GroupDay.objects.all().delete()
    for day in days(start, end):
        with transaction.atomic():
            groups_fill(day=day)
            fill._segments_fill_day(day)
    return stored()


@pytest.mark.parametrize(
    ("seed", "start", "chunk"),
    [(1, START, 8), (2, date(2025, 2, 20), 8), (3, date(2024, 12, 20), 30), (6, START, 30)],
)
def test_the_set_based_backfill_stores_what_the_per_day_fill_does(seed, start, chunk, monkeypatch):
    end = start + (END - START)
    build(seed, start, end)
    monkeypatch.setattr(fill, "BACKFILL_CHUNK_DAYS", chunk)  # 8: chunk edges inside the range

    assert segments_backfill(start=start, end=end) == len(days(start, end))
    set_based = stored()

    assert set_based["segments"] and set_based["interactions"] and set_based["groups"]
    assert not SegmentDay.objects.filter(headcount__lt=5).exists()
    expected = reference(start, end)
    assert set_based["groups"] == expected["groups"]
    assert set_based["interactions"] == expected["interactions"]
    assert len(set_based["segments"]) == len(expected["segments"])
    for got, want in zip(set_based["segments"], expected["segments"], strict=True):
        assert got == want


def test_one_day_of_the_set_based_fill_matches_the_per_day_fill(monkeypatch):
    build(4)
    day = START + timedelta(days=9)  # the day of the moves

    fill.segments_fill(day=day)
    set_based = stored()["segments"]
    SegmentDay.objects.all().delete()
    with transaction.atomic():
        fill._segments_fill_day(day)

    assert set_based == stored()["segments"]


def test_a_backfill_killed_in_a_chunk_keeps_the_chunks_done_and_leaves_the_rest_as_it_was(monkeypatch):
    build(5)
    monkeypatch.setattr(fill, "BACKFILL_CHUNK_DAYS", 10)
    segments_backfill(start=START, end=END)
    before = stored()["segments"]
    # New activity on every day, then a refill that dies storing its second chunk.
    ActiveDay.objects.bulk_create(
        [ActiveDay(profile=p, day=d) for p in Profile.objects.all() for d in days(START, END)],
        ignore_conflicts=True,
    )
    chunks = []
    real = fill.fill_arrays.segments_fill_range

    def dies_in_second_chunk(*, start, end):
        chunks.append(start)
        stored_rows = real(start=start, end=end)
        if len(chunks) == 2:
            raise RuntimeError("killed")
        return stored_rows

    monkeypatch.setattr(fill.fill_arrays, "segments_fill_range", dies_in_second_chunk)
    with pytest.raises(RuntimeError):
        segments_backfill(start=START, end=END)

    after = stored()["segments"]
    first_chunk_end = START + timedelta(days=9)
    untouched = [r for r in before if r["day"] > first_chunk_end]
    assert [r for r in after if r["day"] > first_chunk_end] == untouched
    refilled = [r for r in after if r["day"] <= first_chunk_end and r["department"] == r["location"] == 0]
    assert refilled and all(r["active"] == r["headcount"] for r in refilled if r["tenure"] == 0)
    assert FillState.objects.filter(stat=SEGMENTS).count() == len(days(START, END))
