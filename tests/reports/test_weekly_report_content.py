"""What the weekly report shows the Communications group beyond the totals: charts that appear in mail
clients (inline PNGs, not SVG or remote images), the most engaging threads, unanswered questions,
quiet groups, recognition coverage and the moderation backlog; never a private group's posts."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from analytics.models import ActiveDay
from analytics.reports import weekly_report_send
from communities import services as community_services
from communities.models import Community
from tests.factories import KudosFactory, PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

MONDAY = date(2026, 11, 16)
SECRET = "Project Falcon"


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def week(author, colleague, outsider):
    for n, profile in enumerate((author, colleague)):
        ActiveDay.objects.create(profile=profile, day=MONDAY + timedelta(days=n))
    PostFactory(
        author=author, body="Launch retro notes", reaction_count=9, comment_count=3, created_at=at(MONDAY)
    )
    PostFactory(author=colleague, body="Quiet update", created_at=at(MONDAY + timedelta(days=2)))
    PostFactory(
        author=colleague, body="Who owns the VPN?", kind="question", created_at=at(MONDAY + timedelta(days=3))
    )
    private = community_services.community_create(
        creator=author, name="Deal room", category="work", visibility=Community.Visibility.PRIVATE
    )
    PostFactory(
        author=author,
        community=private,
        body=f"{SECRET}: buying Acme",
        reaction_count=500,
        comment_count=90,
        created_at=at(MONDAY + timedelta(days=1)),
    )
    quiet = community_services.community_create(
        creator=colleague, name="Chess club", category="social", visibility=Community.Visibility.PUBLIC
    )
    Community.objects.filter(pk=quiet.pk).update(created_at=at(MONDAY - timedelta(days=90)))
    KudosFactory(giver=author, recipients=[colleague], created_at=at(MONDAY + timedelta(days=4)))


def _the_report(comms):
    weekly_report_send(week_start=MONDAY)
    (message,) = [m for m in mail.outbox if m.to == [comms.user.email]]
    return message


def test_charts_are_inline_png_images_the_html_refers_to(comms, week):
    message = _the_report(comms)

    mime = message.message()
    assert mime.get_content_type() == "multipart/related"
    images = {part["Content-ID"]: part for part in mime.walk() if part.get_content_type() == "image/png"}
    assert set(images) == {"<active-people>", "<contributions>"}
    for part in images.values():
        assert part.get_payload(decode=True).startswith(b"\x89PNG")
        assert part["Content-Disposition"].startswith("inline")
    html = message.alternatives[0][0]
    assert 'src="cid:active-people"' in html and 'src="cid:contributions"' in html
    assert "<svg" not in html and 'src="http' not in html


def test_threads_questions_quiet_groups_recognition_and_backlog(comms, week):
    text = _the_report(comms).body

    threads = text.split("The week's most engaging threads:", 1)[1]
    assert threads.index("Launch retro notes") < threads.index("Quiet update")
    assert "Questions still without an answer: 1" in text and "Who owns the VPN?" in text
    assert "Groups quiet for 30 days: 1" in text and "- Chess club (1 members)" in text
    assert "Recognised in the last 30 days: 1 people" in text
    assert "Moderation backlog: 0 open cases" in text


def test_a_private_groups_post_never_reaches_the_report(comms, week):
    message = _the_report(comms)

    assert SECRET not in message.body
    assert SECRET not in message.alternatives[0][0]
