"""The weekly adoption report the Communications team receives by email."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from analytics.models import ActiveDay
from analytics.reports import weekly_report_send
from analytics.tasks import weekly_report_last_week
from delivery.models import DeliveryMessage
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
def test_report_lists_least_active_department_first(comms, author, outsider, active_week):
    DepartmentFactory(name="Empty team")  # nobody in it: left out rather than shown as 0 of 0
    weekly_report_send(week_start=MONDAY)
    text = mail.outbox[0].body
    finance = text.index("- Finance: 0 / 1")
    engineering = text.index("- Engineering: 2 / 3")
    assert finance < engineering
    assert "Empty team" not in text


@pytest.mark.django_db
def test_monday_job_reports_the_week_that_just_ended(comms, monkeypatch, active_week):
    monkeypatch.setattr("analytics.tasks.company_today", lambda: MONDAY + timedelta(days=7))
    weekly_report_last_week.delay()  # eager in this test: no broker worker needed
    assert DeliveryMessage.objects.get(profile=comms).run.period == MONDAY.isoformat()
