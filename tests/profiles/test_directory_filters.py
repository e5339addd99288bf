"""Directory filters: department, location, skill, tenure, alone and together, across pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from expertise.services import profile_skills_set
from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

PAGE_SIZE = 30


def _names(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r"<strong>([^<]+)</strong><br><span class=\"muted\">", response.content.decode())


def _more_link(response) -> str | None:
    match = re.search(r'href="(\?[^"]*cursor=[^"]+)">More people', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def _days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def company(db):
    """Four people who differ in department, location, skills and start date."""
    eng, sales = DepartmentFactory(name="Engineering"), DepartmentFactory(name="Sales")
    lisbon, tokyo = LocationFactory(name="Lisbon"), LocationFactory(name="Tokyo", time_zone="Asia/Tokyo")
    people = {
        "Nia New": ProfileFactory(
            display_name="Nia New", department=eng, location=lisbon, start_date=_days_ago(30)
        ),
        "Yan Year": ProfileFactory(
            display_name="Yan Year", department=eng, location=tokyo, start_date=_days_ago(200)
        ),
        "Mo Middle": ProfileFactory(
            display_name="Mo Middle", department=sales, location=tokyo, start_date=_days_ago(800)
        ),
        "Vic Veteran": ProfileFactory(
            display_name="Vic Veteran", department=sales, location=lisbon, start_date=_days_ago(3000)
        ),
    }
    profile_skills_set(profile=people["Nia New"], names=["Python", "Go"])
    profile_skills_set(profile=people["Mo Middle"], names=["Python"])
    profile_skills_set(profile=people["Vic Veteran"], names=["Negotiation"])
    return {"eng": eng, "sales": sales, "lisbon": lisbon, "tokyo": tokyo, "people": people}


def test_filter_by_location(viewer_client, company):
    assert _names(viewer_client.get(f"/people/?location={company['tokyo'].pk}")) == ["Mo Middle", "Yan Year"]


def test_filter_by_department(viewer_client, company):
    assert _names(viewer_client.get(f"/people/?department={company['sales'].pk}")) == [
        "Mo Middle",
        "Vic Veteran",
    ]


@pytest.mark.parametrize("skill", ["python", "Python", "PYTHON"])
def test_filter_by_skill_slug_or_name(viewer_client, company, skill):
    assert _names(viewer_client.get(f"/people/?skill={skill}")) == ["Mo Middle", "Nia New"]


def test_unknown_skill_matches_nobody(viewer_client, company):
    response = viewer_client.get("/people/?skill=cobol")

    assert _names(response) == []
    assert "No one matches." in response.content.decode()


@pytest.mark.parametrize(
    ("tenure", "expected"),
    [
        ("new", ["Nia New"]),
        ("lt1", ["Nia New", "Yan Year"]),
        ("1to3", ["Mo Middle"]),
        ("3plus", ["Vic Veteran"]),
    ],
)
def test_filter_by_tenure(viewer_client, company, tenure, expected):
    assert _names(viewer_client.get(f"/people/?tenure={tenure}")) == expected


def test_filters_combine(viewer_client, company):
    tokyo, sales = company["tokyo"].pk, company["sales"].pk

    assert _names(viewer_client.get(f"/people/?skill=python&location={tokyo}")) == ["Mo Middle"]
    assert _names(viewer_client.get("/people/?skill=python&tenure=lt1")) == ["Nia New"]
    assert _names(
        viewer_client.get(f"/people/?department={sales}&location={tokyo}&tenure=1to3&skill=python")
    ) == ["Mo Middle"]
    assert _names(viewer_client.get(f"/people/?department={sales}&tenure=new")) == []


def test_deactivated_people_never_match_a_filter(viewer_client, company):
    mo = company["people"]["Mo Middle"]
    mo.user.is_active = False
    mo.user.save()

    assert _names(viewer_client.get("/people/?skill=python")) == ["Nia New"]
    assert _names(viewer_client.get(f"/people/?location={company['tokyo'].pk}")) == ["Yan Year"]


def test_filters_show_as_selected(viewer_client, company):
    page = viewer_client.get(
        f"/people/?location={company['tokyo'].pk}&tenure=3plus&skill=go"
    ).content.decode()

    assert f'<option value="{company["tokyo"].pk}" selected>Tokyo</option>' in page
    assert '<option value="3plus" selected>' in page
    assert 'name="skill" id="skill" value="go"' in page


def test_pager_keeps_every_filter(viewer_client, company):
    tokyo = company["tokyo"]
    for n in range(PAGE_SIZE + 3):
        person = ProfileFactory(
            display_name=f"Tok {n:02d}", department=company["eng"], location=tokyo, start_date=_days_ago(10)
        )
        profile_skills_set(profile=person, names=["Python"])
    query = f"/people/?department={company['eng'].pk}&location={tokyo.pk}&skill=python&tenure=new"

    first = viewer_client.get(query)
    link = _more_link(first)
    second = viewer_client.get("/people/" + link)

    for part in (f"department={company['eng'].pk}", f"location={tokyo.pk}", "skill=python", "tenure=new"):
        assert part in link
    names = _names(first) + _names(second)
    assert names == sorted(names)
    assert len(names) == len(set(names)) == PAGE_SIZE + 3
    assert _more_link(second) is None


@pytest.mark.parametrize("query", ["location=abc", "location=-3", "tenure=forever", "department=0"])
def test_edited_filter_is_a_bad_request(viewer_client, query):
    assert viewer_client.get(f"/people/?{query}").status_code == 400


@pytest.mark.parametrize("people", [4, 60])
def test_filtered_directory_query_count_does_not_grow(viewer_client, django_assert_max_num_queries, people):
    from tests.profiles.test_views import DIRECTORY_MAX_QUERIES

    tokyo = LocationFactory(name="Tokyo")
    for n in range(people):
        person = ProfileFactory(
            department=DepartmentFactory(name=f"Team {n % 5}"),
            location=LocationFactory(name=f"City {n % 9}") if n % 2 else tokyo,
            start_date=_days_ago(n * 20),
        )
        profile_skills_set(profile=person, names=["Python", f"Skill {n}"])
    viewer_client.get("/people/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(DIRECTORY_MAX_QUERIES):
        response = viewer_client.get(f"/people/?location={tokyo.pk}&skill=python&tenure=3plus&department=")

    assert response.status_code == 200
