"""The weekly adoption report the Communications team receives by email."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.models import ActiveDay
from analytics.reports import weekly_report_recipients, weekly_report_send
from analytics.tasks import weekly_report_last_week
from delivery.models import DeliveryMessage
from delivery.services import delivery_plan, delivery_send
from feed.models import AnnouncementView
from tests.factories import DepartmentFactory, PostFactory, ProfileFactory

pytestmark = pytest.mark.usefixtures("celery_eager")  # the report's batch task runs in the test

MONDAY = date(2026, 11, 16)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def active_week(author, colleague, outsider):
    """Two of the three employees were active and wrote posts in the week; one post fell the week before."""
    for profile in (author, colleague):
        ActiveDay.objects.create(profile=profile, day=MONDAY + timedelta(days=2))
    PostFactory(author=author, created_at=at(MONDAY + timedelta(days=1)))
    PostFactory(author=colleague, created_at=at(MONDAY + timedelta(days=6), 23))
    PostFactory(author=colleague, created_at=at(MONDAY - timedelta(days=1)))


@pytest.mark.django_db
def test_comms_members_get_the_weeks_figures_once(comms, author, active_week):
    second = ProfileFactory(display_name="Carl Comms", user__email="carl@example.com")
    second.user.groups.add(*comms.user.groups.all())

    assert weekly_report_send(week_start=MONDAY) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["carl@example.com", "cora@example.com"]
    message = mail.outbox[0]
    text = message.body
    assert "People active this week: 2 of 5" in text
    assert "Posts:     2 (+1)" in text  # the week before had one post
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<strong>2</strong> of 5" in html

    assert weekly_report_send(week_start=MONDAY) == 0
    assert len(mail.outbox) == 2
    sent = DeliveryMessage.objects.filter(
        run__kind="weekly_report", run__period=MONDAY.isoformat(), state="sent"
    )
    assert sent.count() == 2


@pytest.mark.django_db
def test_people_outside_communications_get_no_report(author, colleague, active_week):
    assert weekly_report_send(week_start=MONDAY) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_report_lists_least_active_department_first_and_never_a_group_under_five(comms):
    """Sales: 8 people, 6 active in the week. Support: 6, 1 active. Legal: 2, both active, shown only
    inside "Other" (and with it Finance, 5 people: company minus the rest would be Legal's two)."""
    teams = {name: DepartmentFactory(name=name) for name in ("Sales", "Support", "Legal", "Finance")}
    sizes = {"Sales": (8, 6), "Support": (6, 1), "Legal": (2, 2), "Finance": (5, 0)}
    comms.department = teams["Sales"]
    comms.save()
    for name, (size, active) in sizes.items():
        people = [ProfileFactory(department=teams[name]) for _ in range(size - (name == "Sales"))]
        people = ([comms] if name == "Sales" else []) + people
        for person in people[:active]:
            ActiveDay.objects.create(profile=person, day=MONDAY + timedelta(days=3))
    AnnouncementView.objects.create(
        post=PostFactory(author=comms, kind="announcement", created_at=at(MONDAY)), profile=comms,
        seen_at=at(MONDAY + timedelta(days=1)),
    )  # fmt: skip

    weekly_report_send(week_start=MONDAY)

    text = mail.outbox[0].body
    support, sales = text.index("- Support: 1 / 6"), text.index("- Sales: 6 / 8")
    other = text.index("- Other (groups under 5 people): 2 / 7")
    assert support < sales < other
    assert "Legal" not in text and "Finance" not in text
    assert "Announcements seen this week: 1" in text
    assert "Posted or commented in the last 28 days: 5% of everyone" in text  # Cora: 1 of 21
    html = mail.outbox[0].alternatives[0][0]
    assert "Legal" not in html and "Other (groups under 5 people)" in html


@pytest.mark.django_db
def test_monday_job_reports_the_week_that_just_ended(comms, monkeypatch, active_week):
    monkeypatch.setattr("analytics.tasks.company_today", lambda: MONDAY + timedelta(days=7))
    weekly_report_last_week.delay()  # eager in this test: no broker worker needed
    assert DeliveryMessage.objects.get(profile=comms).run.period == MONDAY.isoformat()


def _comms_members(comms, count: int) -> list:
    people = [ProfileFactory() for _ in range(count)]
    for person in people:
        person.user.groups.add(*comms.user.groups.all())
    return people


def _send_counting_queries(comms) -> tuple[int, dict]:
    """The report's batch for every Comms member, sent directly (no task): its queries minus the one
    "sent" mark per message."""
    run = delivery_plan(
        kind="weekly_report",
        period=MONDAY.isoformat(),
        profile_ids=[p.pk for p in weekly_report_recipients()],
    )
    ids = list(DeliveryMessage.objects.filter(run=run).values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        counts = delivery_send(message_ids=ids)
    return len(queries.captured_queries) - counts["sent"], counts


@pytest.mark.django_db
def test_the_group_check_is_one_query_for_the_batch_whatever_its_size(comms, active_week):
    _comms_members(comms, 2)
    _send_counting_queries(comms)  # the first run also fills the weeks' missing daily rollups
    DeliveryMessage.objects.all().delete()
    small, counts = _send_counting_queries(comms)
    assert counts["sent"] == 3
    DeliveryMessage.objects.all().delete()
    _comms_members(comms, 12)

    large, counts = _send_counting_queries(comms)

    assert counts["sent"] == 15
    assert large <= small  # not one query per recipient (a warm cache may save one)


@pytest.mark.django_db
def test_someone_who_left_communications_after_planning_is_skipped_and_told_why(comms, active_week):
    leaver = _comms_members(comms, 1)[0]
    run = delivery_plan(
        kind="weekly_report",
        period=MONDAY.isoformat(),
        profile_ids=[p.pk for p in weekly_report_recipients()],
    )
    leaver.user.groups.clear()

    counts = delivery_send(
        message_ids=list(DeliveryMessage.objects.filter(run=run).values_list("id", flat=True))
    )

    assert (counts["sent"], counts["skipped"]) == (1, 1)
    assert [m.to for m in mail.outbox] == [["cora@example.com"]]
    skipped = DeliveryMessage.objects.get(profile=leaver)
    assert (skipped.state, skipped.last_error) == ("skipped", "no longer in the Communications group")
