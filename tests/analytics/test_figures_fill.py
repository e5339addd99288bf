"""The nightly fill of the dashboard's figures, against the real database: hand-counted figures per
segment, people counted where they sat on the day, small groups never stored, and reruns that change
nothing."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from analytics.fill import SEGMENTS, placements_record, segments_backfill, segments_fill
from analytics.models import ALL, ActiveDay, FillState, Placement, SegmentDay
from analytics.tasks import figures_day
from feed.models import AnnouncementView
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    KudosFactory,
    LocationFactory,
    PostFactory,
    ProfileFactory,
    ReactionFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def stored(department=ALL, location=ALL, tenure=ALL, day=DAY) -> dict | None:
    return (
        SegmentDay.objects.filter(
            day=day, segment__department=department, segment__location=location, segment__tenure=tenure
        )
        .values(
            "headcount",
            "active",
            "active_7",
            "active_28",
            "contributors_28",
            "posts",
            "comments",
            "reactions",
            "kudos",
            "announcements_seen",
        )
        .first()
    )


@pytest.fixture
def company(db):
    """Engineering: 6 in Lisbon. Sales: 6 in Paris. Everyone started in 2020, except two engineers
    who started a month before DAY."""
    lisbon, paris = LocationFactory(name="Lisbon"), LocationFactory(name="Paris")
    eng, sales = DepartmentFactory(name="Engineering"), DepartmentFactory(name="Sales")
    people = {
        "eng": [
            ProfileFactory(
                department=eng,
                location=lisbon,
                start_date=date(2020, 1, 6) if i < 4 else DAY - timedelta(days=30),
            )
            for i in range(6)
        ],
        "sales": [
            ProfileFactory(department=sales, location=paris, start_date=date(2020, 1, 6)) for _ in range(6)
        ],
    }
    placements_record(day=DAY - timedelta(days=40))
    return {"engineering": eng, "sales_team": sales, "lisbon": lisbon, "paris": paris, **people}


@pytest.fixture
def busy(company):
    eng, sales = company["eng"], company["sales"]
    # Active on DAY: 4 engineers, 2 sales. Earlier in the week: one more engineer.
    for person in eng[:4] + sales[:2]:
        ActiveDay.objects.create(profile=person, day=DAY)
    ActiveDay.objects.create(profile=eng[4], day=DAY - timedelta(days=3))
    ActiveDay.objects.create(profile=sales[5], day=DAY - timedelta(days=20))  # monthly, not weekly
    ActiveDay.objects.create(profile=sales[4], day=DAY - timedelta(days=40))  # too long ago
    ActiveDay.objects.create(profile=eng[0], day=DAY + timedelta(days=1))  # the day after

    post = PostFactory(author=eng[0], created_at=at(DAY, 9))
    PostFactory(author=eng[1], created_at=at(DAY, 10), kind="question")
    PostFactory(author=sales[0], created_at=at(DAY - timedelta(days=10), 11))  # contributor, not today
    PostFactory(author=sales[1], created_at=at(DAY + timedelta(days=1), 11))
    CommentFactory(post=post, author=sales[0], created_at=at(DAY, 12))
    CommentFactory(post=post, author=sales[0], created_at=at(DAY, 13))
    ReactionFactory(post=post, profile=eng[2], created_at=at(DAY, 14))
    KudosFactory(giver=sales[1], recipients=[eng[0]], created_at=at(DAY, 15))
    # An announcement seen on DAY by two engineers and a salesperson; another seen the day before.
    news = PostFactory(author=eng[5], created_at=at(DAY, 8), kind="announcement")
    older = PostFactory(author=eng[5], created_at=at(DAY - timedelta(days=1), 8), kind="announcement")
    AnnouncementView.objects.bulk_create(
        [AnnouncementView(post=news, profile=p, seen_at=at(DAY, 16)) for p in (eng[0], eng[1], sales[3])]
        + [AnnouncementView(post=older, profile=eng[0], seen_at=at(DAY - timedelta(days=1), 9))]
    )
    return company


def test_the_day_is_counted_per_segment_as_counted_by_hand(busy):
    segments_fill(day=DAY)

    company = stored()
    # Kudos are feed posts too, but counted as kudos, not as posts.
    assert company == {
        "headcount": 12, "active": 6, "active_7": 7, "active_28": 8, "contributors_28": 4,
        "posts": 3, "comments": 2, "reactions": 1, "kudos": 1, "announcements_seen": 3,
    }  # fmt: skip
    assert stored(department=busy["engineering"].pk) == {
        "headcount": 6, "active": 4, "active_7": 5, "active_28": 5, "contributors_28": 3,
        "posts": 3, "comments": 0, "reactions": 1, "kudos": 0, "announcements_seen": 2,
    }  # fmt: skip
    assert stored(location=busy["paris"].pk) == {
        "headcount": 6, "active": 2, "active_7": 2, "active_28": 3, "contributors_28": 1,
        "posts": 0, "comments": 2, "reactions": 0, "kudos": 1, "announcements_seen": 1,
    }  # fmt: skip


def test_groups_under_five_people_are_never_stored(busy):
    finance = DepartmentFactory(name="Finance")
    accountants = [ProfileFactory(department=finance, location=busy["lisbon"]) for _ in range(2)]
    placements_record(day=DAY - timedelta(days=1))
    PostFactory(author=accountants[0], created_at=at(DAY, 11))

    segments_fill(day=DAY)

    assert stored(department=finance.pk) is None  # 2 people
    assert stored()["posts"] == 4  # still counted for the company
    # "Company minus Engineering minus Sales" would be Finance's two: one of the others goes too.
    assert (stored(department=busy["engineering"].pk) is None) != (
        stored(department=busy["sales_team"].pk) is None
    )
    # Engineering's two newcomers (tenure under a year) are withheld, and with them, so that
    # "Engineering minus its 4 veterans" reveals nothing, the veterans' row.
    assert stored(department=busy["engineering"].pk, tenure=1) is None
    assert stored(department=busy["engineering"].pk, tenure=3) is None
    assert not SegmentDay.objects.filter(headcount__lt=5).exists()


def test_a_person_is_counted_where_they_sat_on_the_day(busy):
    mover = busy["sales"][0]  # commented twice on DAY, as a Sales person
    mover.department, mover.location = busy["engineering"], busy["lisbon"]
    mover.save()
    placements_record(day=DAY + timedelta(days=1))

    segments_fill(day=DAY)
    segments_fill(day=DAY + timedelta(days=1))

    assert stored(department=busy["sales_team"].pk)["comments"] == 2
    assert stored(department=busy["sales_team"].pk)["headcount"] == 6
    assert stored(department=busy["engineering"].pk, day=DAY + timedelta(days=1))["headcount"] == 7
    assert stored(department=busy["sales_team"].pk, day=DAY + timedelta(days=1))["headcount"] == 5


def test_recording_placements_again_changes_nothing(busy):
    before = list(Placement.objects.order_by("pk").values())

    assert placements_record(day=DAY) == 0
    assert placements_record(day=DAY + timedelta(days=2)) == 0

    assert list(Placement.objects.order_by("pk").values()) == before


def test_someone_who_leaves_is_no_longer_counted(busy):
    leaver = busy["sales"][5]
    leaver.user.is_active = False
    leaver.user.save()
    placements_record(day=DAY)

    segments_fill(day=DAY)

    assert stored()["headcount"] == 11
    assert Placement.objects.get(profile=leaver).valid_to == DAY - timedelta(days=1)


def test_filling_a_day_again_gives_the_same_rows(busy):
    segments_fill(day=DAY)
    first = list(
        SegmentDay.objects.order_by("segment__department", "segment__location", "segment__tenure").values()
    )

    segments_fill(day=DAY)
    figures_day(DAY.isoformat())

    again = list(
        SegmentDay.objects.order_by("segment__department", "segment__location", "segment__tenure").values()
    )
    assert [{k: v for k, v in r.items() if k != "id"} for r in again] == [
        {k: v for k, v in r.items() if k != "id"} for r in first
    ]
    assert FillState.objects.filter(stat=SEGMENTS, day=DAY).count() == 1


def test_a_fill_that_fails_half_way_leaves_the_day_as_it_was(busy, monkeypatch):
    segments_fill(day=DAY)
    before = SegmentDay.objects.filter(day=DAY).count()
    PostFactory(author=busy["eng"][0], created_at=at(DAY, 20))

    def crash(*args, **kwargs):
        raise RuntimeError("killed")

    # The last step: the day's rows are already replaced when it dies.
    monkeypatch.setattr("analytics.fill._filled", crash)
    with pytest.raises(RuntimeError):
        segments_fill(day=DAY)
    monkeypatch.undo()

    assert SegmentDay.objects.filter(day=DAY).count() == before
    assert stored()["posts"] == 3
    segments_fill(day=DAY)
    assert stored()["posts"] == 4


def test_backfill_fills_each_day_once_and_can_skip_done_days(busy):
    assert segments_backfill(start=DAY - timedelta(days=2), end=DAY) == 3
    assert segments_backfill(start=DAY - timedelta(days=3), end=DAY, missing_only=True) == 1

    assert FillState.objects.filter(stat=SEGMENTS).count() == 4
    assert stored()["active"] == 6


def test_backfill_command_refuses_a_reversed_or_unfinished_range(db):
    today = timezone.localdate()
    with pytest.raises(CommandError, match="after"):
        call_command("analytics_backfill", "--from", "2025-03-10", "--to", "2025-03-01")
    with pytest.raises(CommandError, match="not over yet"):
        call_command("analytics_backfill", "--to", today.isoformat())
    assert not FillState.objects.exists()


def test_backfill_command_fills_the_range_it_is_given(busy):
    out = StringIO()

    call_command(
        "analytics_backfill",
        "--from",
        (DAY - timedelta(days=9)).isoformat(),
        "--to",
        DAY.isoformat(),
        stdout=out,
    )

    assert f"Filled 10 day(s) from {DAY - timedelta(days=9)} to {DAY}." in out.getvalue()
    assert FillState.objects.filter(stat=SEGMENTS).count() == 10
    assert stored()["active"] == 6
