"""Who was active when (recorded on every signed-in page view), and the adoption dashboard that only the
Communications team and superusers may open."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from analytics.models import ActiveDay
from analytics.services import rollup_fill
from tests.factories import DepartmentFactory, PostFactory, ProfileFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

# Measured once the viewer's first request of the day has recorded them as active.
# Session, user, viewer profile, roles, company days, department sums, departments with
# headcount, active headcount.
DASHBOARD_MAX_QUERIES = 8


def signed_in(profile) -> Client:
    return client_for(Client(), profile)


# --- Active days ----------------------------------------------------------------------------


def test_each_person_is_recorded_once_a_day_however_many_pages_they_open(author, colleague):
    ada, colin = signed_in(author), signed_in(colleague)

    for url in ("/", "/people/", f"/people/{author.pk}/", "/skills/"):
        ada.get(url)
    colin.get("/")

    today = timezone.localdate()
    assert sorted(ActiveDay.objects.values_list("profile__display_name", "day")) == [
        ("Ada Author", today),
        ("Colin Colleague", today),
    ]


def test_a_new_day_is_recorded_again(author, monkeypatch):
    ada = signed_in(author)
    ada.get("/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr("analytics.middleware.company_today", lambda: tomorrow)

    ada.get("/")
    ada.get("/people/")

    assert ActiveDay.objects.filter(profile=author).count() == 2
    assert ActiveDay.objects.filter(profile=author, day=tomorrow).exists()


def test_a_second_device_on_the_same_day_records_nothing_more(author):
    signed_in(author).get("/")
    signed_in(author).get("/")  # another browser: its own session, same person, same day

    assert ActiveDay.objects.filter(profile=author).count() == 1


def test_visitors_and_refused_pages_record_nothing(client, colleague):
    client.get("/accounts/login/")
    client.get("/healthz")
    signed_in(colleague).get("/analytics/")  # 403 for someone outside Communications

    assert not ActiveDay.objects.exists()


# --- The dashboard --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["colleague", "moderator"])
def test_people_outside_communications_cannot_open_the_dashboard(request, who):
    response = signed_in(request.getfixturevalue(who)).get("/analytics/")

    assert response.status_code == 403


def test_communications_team_opens_the_dashboard_and_sees_the_link(comms):
    client = signed_in(comms)

    response = client.get("/analytics/")

    assert response.status_code == 200
    assert 'href="/analytics/"' in client.get("/").content.decode()


def test_superuser_opens_the_dashboard(db):
    admin = ProfileFactory(user=UserFactory(is_superuser=True, is_staff=True))

    assert signed_in(admin).get("/analytics/").status_code == 200


def test_dashboard_link_is_hidden_from_others(colleague):
    assert 'href="/analytics/"' not in signed_in(colleague).get("/").content.decode()


def test_dashboard_shows_yesterdays_figures(comms, author, colleague, outsider):
    yesterday = timezone.localdate() - timedelta(days=1)
    noon = datetime.combine(yesterday, time(12), tzinfo=timezone.get_current_timezone())
    for person in (author, colleague, outsider):
        ActiveDay.objects.create(profile=person, day=yesterday)
    PostFactory(author=author, created_at=noon)
    PostFactory(author=colleague, created_at=noon)
    rollup_fill(day=yesterday)

    page = signed_in(comms).get("/analytics/").content.decode()

    day = f"{yesterday:%a} {yesterday.day} {yesterday:%b}"
    assert re.search(rf"<td>{day}</td><td>3</td>.*?<td>2</td><td>0</td><td>0</td><td>0</td></tr>", page, re.S)
    # Engineering has three people (Ada, Colin and Cora from Communications): two active, two posts.
    assert "<td>Engineering</td><td>3</td><td>2</td><td>2</td><td>0</td><td>0</td><td>0</td>" in page
    assert "<td>Finance</td><td>1</td><td>1</td><td>0</td>" in page


@pytest.mark.parametrize("departments", [2, 40])
def test_dashboard_query_count_does_not_grow_with_departments_or_days(
    comms, django_assert_max_num_queries, departments
):
    today = timezone.localdate()
    for n in range(departments):
        person = ProfileFactory(department=DepartmentFactory(name=f"Team {n}"))
        for back in range(1, 4):
            ActiveDay.objects.create(profile=person, day=today - timedelta(days=back))
    for back in range(1, 4):
        rollup_fill(day=today - timedelta(days=back))
    client = signed_in(comms)
    client.get("/analytics/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        assert client.get("/analytics/").status_code == 200
