"""The org chart: up the management chain to the top, the person, and down to their reports."""

import re

import pytest

from profiles import selectors
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

# Session, user, viewer profile, roles, the person, the chain (one recursive query), the chain's
# people with their report counts, the direct reports with theirs.
ORG_CHART_MAX_QUERIES = 8


def _chain_names(page: str) -> list[str]:
    chain = page.split('aria-label="Management chain"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="/people/\d+/org/">([^<]+)</a>', chain)


def _report_cards(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'class="card org-report".*?<strong>([^<]+)</strong>.*?(No reports|\d+ reports?)</span>', page, re.S
    )


@pytest.fixture
def hierarchy(db):
    ceo = ProfileFactory(display_name="Cea Chief")
    vp = ProfileFactory(display_name="Vera Vice", manager=ceo)
    lead = ProfileFactory(display_name="Leo Lead", manager=vp)
    dev = ProfileFactory(display_name="Dee Dev", manager=lead)
    ProfileFactory(display_name="Ian Intern", manager=dev)
    ProfileFactory(display_name="Ivy Intern", manager=dev)
    ProfileFactory(display_name="Gus Gone", manager=dev, user__is_active=False)
    ProfileFactory(display_name="Ann Analyst", manager=lead)
    return {"ceo": ceo, "vp": vp, "lead": lead, "dev": dev}


def test_org_chart_shows_the_chain_to_the_top_and_the_reports_with_their_counts(viewer_client, hierarchy):
    page = viewer_client.get(f"/people/{hierarchy['lead'].pk}/org/").content.decode()

    assert _chain_names(page) == ["Cea Chief", "Vera Vice"]
    assert "Leo Lead" in page.split('id="org-person"', 1)[1]
    # Gus has left: not counted, not listed.
    assert _report_cards(page) == [("Ann Analyst", "No reports"), ("Dee Dev", "2 reports")]
    assert "Gus Gone" not in page


def test_top_of_the_company_has_no_chain(viewer_client, hierarchy):
    page = viewer_client.get(f"/people/{hierarchy['ceo'].pk}/org/").content.decode()

    assert _chain_names(page) == []
    assert "is at the top" in page
    assert _report_cards(page) == [("Vera Vice", "1 report")]


def test_manager_who_left_stays_in_the_chain_marked(viewer_client, hierarchy):
    hierarchy["vp"].user.is_active = False
    hierarchy["vp"].user.save()

    page = viewer_client.get(f"/people/{hierarchy['dev'].pk}/org/").content.decode()

    assert _chain_names(page) == ["Cea Chief", "Vera Vice", "Leo Lead"]
    assert "no longer works here" in page


def test_manager_loop_does_not_hang_and_is_reported(viewer_client):
    a = ProfileFactory(display_name="Amy Loop")
    b = ProfileFactory(display_name="Ben Loop", manager=a)
    c = ProfileFactory(display_name="Cal Loop", manager=b)
    a.manager = c
    a.save()

    response = viewer_client.get(f"/people/{a.pk}/org/")

    page = response.content.decode()
    assert response.status_code == 200
    assert _chain_names(page) == ["Ben Loop", "Cal Loop"]
    assert "loop back on themselves" in page


def test_person_who_manages_themselves_does_not_hang(viewer_client):
    solo = ProfileFactory(display_name="Sol Self")
    solo.manager = solo
    solo.save()

    chart = selectors.org_chart(profile=solo)

    assert chart.chain == [] and chart.loop is True


def test_very_deep_chain_is_capped(db):
    people = [ProfileFactory(display_name="Top")]
    for n in range(12):
        people.append(ProfileFactory(display_name=f"Level {n}", manager=people[-1]))

    chart = selectors.org_chart(profile=people[-1], max_depth=5)

    assert [p.display_name for p in chart.chain] == ["Level 6", "Level 7", "Level 8", "Level 9", "Level 10"]


def test_unknown_person_has_no_org_chart(viewer_client):
    assert viewer_client.get("/people/999999/org/").status_code == 404


@pytest.mark.parametrize("depth", [1, 20])
def test_org_chart_query_count_does_not_grow_with_depth_or_reports(
    viewer_client, django_assert_max_num_queries, depth
):
    boss = ProfileFactory()
    for _ in range(depth):
        boss = ProfileFactory(manager=boss)
    for _ in range(depth):
        report = ProfileFactory(manager=boss)
        ProfileFactory(manager=report)
    viewer_client.get("/people/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(ORG_CHART_MAX_QUERIES):
        response = viewer_client.get(f"/people/{boss.pk}/org/")

    assert response.status_code == 200
    assert len(response.context["org"].chain) == depth
    assert len(response.context["org"].reports) == depth
