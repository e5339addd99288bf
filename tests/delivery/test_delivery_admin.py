"""Admins read, per run of a bulk email, how many were sent, skipped and failed, and why; nobody edits
the record from admin."""

import re
from datetime import date, datetime, time

import pytest
from django.test import Client
from django.utils import timezone

from delivery.models import DeliveryMessage, DeliveryRun
from delivery.services import delivery_plan, delivery_queue
from digests import mail as digest
from tests.factories import PostFactory, ProfileFactory, UserFactory
from tests.helpers import digest_off
from tests.tasks.flaky_mail import FlakyEmailBackend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DAY = date(2025, 3, 10)


def _cell(html: str, name: str) -> str:
    return re.search(rf'class="field-{name}"[^>]*>(?:<a [^>]*>)?(\d+)', html).group(1)


@pytest.fixture
def admin_browser() -> Client:
    admin = digest_off(
        ProfileFactory(user=UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    )
    browser = Client()
    browser.force_login(admin.user)
    return browser


@pytest.fixture
def sent_day(author, colleague, outsider, settings):
    """Ada got the digest, Colin's address was refused, Olga opted out before her batch ran."""
    nine = datetime.combine(DAY, time(9), tzinfo=timezone.get_current_timezone())
    PostFactory(author=digest_off(ProfileFactory()), created_at=nine)
    settings.EMAIL_BACKEND = "tests.tasks.flaky_mail.FlakyEmailBackend"
    FlakyEmailBackend.reset()
    FlakyEmailBackend.refused = {"colin@example.com": 550}
    run = delivery_plan(
        kind=digest.DIGEST, period=DAY.isoformat(), profile_ids=[author.pk, colleague.pk, outsider.pk]
    )
    digest_off(outsider)
    delivery_queue(run=run)
    FlakyEmailBackend.reset()
    return run


def test_admin_sees_each_runs_counts_and_reasons(admin_browser, sent_day):
    listing = admin_browser.get("/admin/delivery/deliveryrun/").content.decode()

    assert "2025-03-10" in listing
    counts = {name: _cell(listing, name) for name in ("sent", "skipped", "failed", "owed")}
    assert counts == {"sent": "1", "skipped": "1", "failed": "1", "owed": "0"}
    assert f"?run__id__exact={sent_day.pk}&amp;state__exact=failed" in listing

    detail = admin_browser.get(f"/admin/delivery/deliveryrun/{sent_day.pk}/change/").content.decode()
    assert "refused by the mail server: colin@example.com 550 No such user" in detail
    assert "turned the digest off before it went out" in detail

    failed = admin_browser.get(
        f"/admin/delivery/deliverymessage/?run__id__exact={sent_day.pk}&state__exact=failed"
    ).content.decode()
    assert "Colin Colleague" in failed and "Ada Author" not in failed


def test_admin_cannot_add_change_or_delete_the_record(admin_browser, sent_day):
    message = DeliveryMessage.objects.get(state="sent")

    assert admin_browser.get("/admin/delivery/deliveryrun/add/").status_code == 403
    delete = admin_browser.post(f"/admin/delivery/deliveryrun/{sent_day.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    change = admin_browser.post(f"/admin/delivery/deliverymessage/{message.pk}/change/", {"state": "queued"})
    assert change.status_code == 403
    message.refresh_from_db()
    assert message.state == "sent"
    assert DeliveryRun.objects.count() == 1


def test_people_without_admin_rights_see_nothing(author, sent_day):
    browser = Client()
    browser.force_login(author.user)

    response = browser.get("/admin/delivery/deliveryrun/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
