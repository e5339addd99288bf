"""The nightly adoption rollup against the real database: right figures per department and for the
company, the same rows however often it runs, and nothing from other days."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from analytics.models import ActiveDay, DailyRollup
from analytics.services import rollup_fill
from analytics.tasks import rollup_day, rollup_yesterday
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    KudosFactory,
    PostFactory,
    ProfileFactory,
    ReactionFactory,
)

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)
FIGURES = ("active_users", "posts", "comments", "reactions", "kudos")


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of `day` on the company's clock."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=timezone.get_current_timezone())


def figures() -> dict[str, dict[str, int]]:
    """The rollup rows of DAY, keyed by department name ("company" for the whole company)."""
    return {
        (row.department.name if row.department else "company"): {f: getattr(row, f) for f in FIGURES}
        for row in DailyRollup.objects.filter(day=DAY).select_related("department")
    }


@pytest.fixture
def loner(db):
    """Someone in no department: counted for the company only."""
    return ProfileFactory(display_name="Lou Loner", department=None)


@pytest.fixture
def busy_day(author, colleague, outsider, loner):
    """Engineering (author, colleague), Finance (outsider) and the loner, busy on DAY and around it."""
    DepartmentFactory(name="Legal")  # a department with no activity gets no row
    before, after = DAY - timedelta(days=1), DAY + timedelta(days=1)
    for person in (author, colleague, outsider, loner):
        ActiveDay.objects.create(profile=person, day=DAY)
    ActiveDay.objects.create(profile=author, day=before)

    ada_post = PostFactory(author=author, created_at=at(DAY, 0))
    PostFactory(author=author, created_at=at(DAY, 23, 59, 59))
    # Removed later by its author: it still happened that day.
    PostFactory(author=colleague, created_at=at(DAY, 9), removed_at=at(DAY, 10), removed_by=colleague)
    olga_post = PostFactory(author=outsider, created_at=at(DAY, 12))
    PostFactory(author=loner, created_at=at(DAY, 15))
    PostFactory(author=author, created_at=at(before, 23, 59, 59))
    PostFactory(author=colleague, created_at=at(after, 0))

    CommentFactory(post=ada_post, author=outsider, created_at=at(DAY, 8))
    CommentFactory(post=ada_post, author=outsider, created_at=at(DAY, 9))
    CommentFactory(post=ada_post, author=author, created_at=at(before, 8))

    ReactionFactory(post=olga_post, profile=author, created_at=at(DAY, 13))
    ReactionFactory(post=olga_post, profile=colleague, created_at=at(DAY, 13))
    ReactionFactory(post=ada_post, profile=loner, created_at=at(DAY, 14))
    ReactionFactory(post=ada_post, profile=outsider, created_at=at(after, 1))

    KudosFactory(giver=colleague, recipients=[outsider], created_at=at(DAY, 16))
    KudosFactory(giver=outsider, recipients=[author], created_at=at(after, 16))


EXPECTED = {
    "company": {"active_users": 4, "posts": 5, "comments": 2, "reactions": 3, "kudos": 1},
    "Engineering": {"active_users": 2, "posts": 3, "comments": 0, "reactions": 2, "kudos": 1},
    "Finance": {"active_users": 1, "posts": 1, "comments": 2, "reactions": 0, "kudos": 0},
}


def test_rollup_counts_the_day_per_department_and_for_the_company(busy_day):
    rollup_fill(day=DAY)

    assert figures() == EXPECTED


def test_rollup_task_fills_the_day_it_is_given(busy_day, celery_eager):
    rows = rollup_day.delay(DAY.isoformat()).get()

    assert rows == 3
    assert figures() == EXPECTED


def test_running_the_rollup_again_gives_the_same_rows(busy_day):
    rollup_fill(day=DAY)
    first = list(DailyRollup.objects.filter(day=DAY).values("department_id", *FIGURES).order_by("pk"))

    rollup_fill(day=DAY)
    rollup_day(DAY.isoformat())

    again = list(DailyRollup.objects.filter(day=DAY).values("department_id", *FIGURES).order_by("pk"))
    assert again == first
    assert DailyRollup.objects.count() == 3


def test_rerun_picks_up_activity_recorded_since(busy_day, author):
    rollup_fill(day=DAY)
    PostFactory(author=author, created_at=at(DAY, 20))

    rollup_fill(day=DAY)

    assert figures()["Engineering"]["posts"] == 4
    assert figures()["company"]["posts"] == 6


def test_rollup_of_one_day_leaves_other_days_alone(busy_day):
    rollup_fill(day=DAY - timedelta(days=1))
    before = list(DailyRollup.objects.values())

    rollup_fill(day=DAY)
    rollup_fill(day=DAY)

    assert [row for row in DailyRollup.objects.values() if row["day"] != DAY] == before
    # The day before only had Ada: active, one post, one comment.
    assert list(
        DailyRollup.objects.filter(day=DAY - timedelta(days=1), department=None).values(*FIGURES)
    ) == [{"active_users": 1, "posts": 1, "comments": 1, "reactions": 0, "kudos": 0}]


def test_a_quiet_day_has_a_company_row_of_zeros(db):
    rollup_fill(day=DAY)

    assert figures() == {"company": dict.fromkeys(FIGURES, 0)}


def test_days_follow_the_company_time_zone(settings, author):
    settings.TIME_ZONE = "Asia/Tokyo"  # UTC+9, no daylight saving
    # 16:00 UTC on the 9th is 01:00 on the 10th in Tokyo; 16:00 UTC on the 10th is already the 11th.
    PostFactory(author=author, created_at=datetime(2025, 3, 9, 16, 0, tzinfo=UTC))
    PostFactory(author=author, created_at=datetime(2025, 3, 10, 16, 0, tzinfo=UTC))

    rollup_fill(day=DAY)

    assert figures()["company"]["posts"] == 1


def test_nightly_job_rolls_up_yesterday(author, celery_eager):
    yesterday = timezone.localdate() - timedelta(days=1)
    ActiveDay.objects.create(profile=author, day=yesterday)

    rollup_yesterday.delay()

    row = DailyRollup.objects.get(day=yesterday, department=None)
    assert row.active_users == 1
