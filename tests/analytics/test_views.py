"""Who was active when (recorded on every signed-in page view), and the adoption dashboard that only the
Communications team and superusers may open."""

import csv
import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from analytics.fill import placements_record, segments_fill
from analytics.models import ActiveDay
from tests.factories import DepartmentFactory, LocationFactory, PostFactory, ProfileFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

# Measured once the viewer's first request of the day has recorded them as active.
# Session, user, viewer profile, roles; departments, locations (filter and labels), fill state,
# the segment's days, and one breakdown per axis the filter leaves open.
DASHBOARD_MAX_QUERIES = 11


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
    monkeypatch.setattr("common.middleware.company_today", lambda: tomorrow)

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


def test_dashboard_without_figures_says_how_to_get_them(comms):
    page = signed_in(comms).get("/analytics/").content.decode()

    assert "No figures yet" in page


# --- Stored figures on the page and in the CSV ------------------------------------------------


def _people(n, department, location, **kwargs):
    return [ProfileFactory(department=department, location=location, **kwargs) for _ in range(n)]


@pytest.fixture
def filled(comms):
    """Yesterday: Engineering (6, Lisbon, 4 active, 3 posts), Sales (7, Paris, 2 active),
    Finance (2, Lisbon, 2 active, 1 post), plus Cora from Communications (Lisbon, Engineering)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    lisbon, paris = LocationFactory(name="Lisbon"), LocationFactory(name="Paris")
    eng, sales, fin = (DepartmentFactory(name=n) for n in ("Engineering", "Sales", "Finance"))
    comms.department, comms.location = eng, lisbon
    comms.save()
    engineers = _people(5, eng, lisbon)
    sellers = _people(7, sales, paris)
    accountants = _people(2, fin, lisbon)
    noon = datetime.combine(yesterday, time(12), tzinfo=timezone.get_current_timezone())
    for person in engineers[:4] + sellers[:2] + accountants:
        ActiveDay.objects.create(profile=person, day=yesterday)
    for person in engineers[:3] + accountants[:1]:
        PostFactory(author=person, created_at=noon)
    placements_record(day=yesterday - timedelta(days=5))
    segments_fill(day=yesterday)
    return {"day": yesterday, "eng": eng, "sales": sales, "fin": fin, "lisbon": lisbon, "paris": paris}


def csv_rows(client, table: str, query: str = "") -> dict[str, dict[str, str]]:
    response = client.get(f"/analytics/export/{table}.csv?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {row[table if table != "trend" else "day"]: row for row in rows}


def test_dashboard_shows_the_stored_figures_and_hides_small_groups(comms, filled):
    page = signed_in(comms).get("/analytics/").content.decode()

    # 15 people; weekly active 8 (4 + 2 + 2); contributors 4.
    assert re.search(r"People</div><div class=\"big\">15<", page)
    assert re.search(r"Weekly active</div><div class=\"big\">53%</div><div class=\"muted\">8 people", page)
    # Engineering (6) and Sales (7) are shown; Finance (2) is merged into "Other", and so is the
    # smallest other department, or "all minus the rest" would give Finance away.
    assert "<td>Finance</td>" not in page
    assert "Other (groups under 5 people)" in page
    assert '<script src="/static/vendor/chart.js-4.4.7/chart.umd.js" defer></script>' in page


def test_csv_holds_what_the_page_shows(comms, filled):
    client = signed_in(comms)

    departments = csv_rows(client, "department")
    trend = csv_rows(client, "trend")

    assert set(departments) == {"Sales", "Other (groups under 5 people)"}
    assert departments["Sales"]["headcount"] == "7"
    assert departments["Sales"]["active_7"] == "2"
    assert departments["Other (groups under 5 people)"]["headcount"] == "8"  # Engineering and Finance
    assert departments["Other (groups under 5 people)"]["posts"] == "4"
    assert trend[filled["day"].isoformat()]["posts"] == "4"


def test_filtering_by_department_breaks_it_down_by_location_and_tenure(comms, filled):
    client = signed_in(comms)

    sales = csv_rows(client, "location", f"department={filled['sales'].pk}")

    assert set(sales) == {"Paris"}
    assert sales["Paris"]["headcount"] == "7"
    # The department is fixed by the filter: there is no breakdown by department.
    page = client.get(f"/analytics/?department={filled['sales'].pk}").content.decode()
    assert "By department" not in page and "By location" in page


def test_subtracting_two_filtered_views_never_reveals_a_group_under_five(comms, filled):
    """The attack: "Lisbon" (all departments) minus "Lisbon" within Engineering would be Finance's two
    accountants. Every published pair of nested figures differs by zero or at least five people."""
    client = signed_in(comms)
    by_location = {"all": csv_rows(client, "location")}
    for name in ("eng", "sales", "fin"):
        by_location[name] = csv_rows(client, "location", f"department={filled[name].pk}")

    accountants_posts = 1
    for department in ("eng", "sales", "fin"):
        for location, row in by_location[department].items():
            whole = by_location["all"].get(location)
            if whole is None or location.startswith("Other"):
                continue
            people = int(whole["headcount"]) - int(row["headcount"])
            assert people == 0 or people >= 5, f"{location} minus {department}: {people} people"
            assert people != 2 or int(whole["posts"]) - int(row["posts"]) != accountants_posts
    assert by_location["fin"] == {}  # Finance alone is never shown, however it is filtered


@pytest.mark.parametrize(
    "query, message",
    [
        ("start=2026-03-10&end=2026-03-01", "starts after it ends"),
        ("end=2999-01-01", "ends after today"),
        ("department=987654", "There is no such department"),
        ("tenure=9", "There is no such tenure"),
        ("start=yesterday", "Enter a valid date"),
    ],
)
def test_bad_filters_get_a_clear_error(comms, query, message):
    client = signed_in(comms)

    page = client.get(f"/analytics/?{query}")
    export = client.get(f"/analytics/export/department.csv?{query}")

    assert page.status_code == 400 and message in page.content.decode()
    assert export.status_code == 400 and message in export.content.decode()


def test_people_outside_communications_cannot_download_csv(colleague):
    assert signed_in(colleague).get("/analytics/export/department.csv").status_code == 403


def test_a_department_name_cannot_become_a_spreadsheet_formula(comms, filled):
    filled["sales"].name = "=HYPERLINK(1)"
    filled["sales"].save()

    rows = csv_rows(signed_in(comms), "department")

    assert "'=HYPERLINK(1)" in rows


@pytest.mark.parametrize("departments, days", [(2, 7), (12, 120)])
def test_dashboard_query_count_does_not_grow_with_departments_or_days(
    comms, django_assert_max_num_queries, departments, days
):
    today = timezone.localdate()
    for n in range(departments):
        for person in _people(5, DepartmentFactory(name=f"Team {n}"), LocationFactory(name="Lisbon")):
            ActiveDay.objects.create(profile=person, day=today - timedelta(days=1))
    placements_record(day=today - timedelta(days=days))
    for back in range(1, 4):
        segments_fill(day=today - timedelta(days=back))
    client = signed_in(comms)
    url = f"/analytics/?start={today - timedelta(days=days)}"
    client.get(url)  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES):
        assert client.get(url).status_code == 200
