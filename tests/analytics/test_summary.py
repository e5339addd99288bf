"""The executive summary for management: every figure checked against a hand count of a small
company, groups under 5 people never named, and the page for the Communications group only."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from analytics.fill import placements_record, segments_fill
from analytics.models import ActiveDay, Objective
from tests.factories import DepartmentFactory, LocationFactory, PostFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(comms):
    """Yesterday. Sales: 8 in Paris, veterans, 6 active, 2 of them posted. Support: 6 in Lisbon,
    newcomers, 1 active. Legal: 3 in Lisbon with no start date, 3 active. Cora (Comms) has no
    department nor start date and sits in Lisbon: Legal and Cora (4 people) are withheld, and with
    them Support, the next smallest."""
    day = timezone.localdate() - timedelta(days=1)
    noon = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    paris, lisbon = LocationFactory(name="Paris"), LocationFactory(name="Lisbon")
    sales, support, legal = (DepartmentFactory(name=n) for n in ("Sales", "Support", "Legal"))
    veteran, newcomer = date(2015, 1, 5), day - timedelta(days=100)
    sellers = [ProfileFactory(department=sales, location=paris, start_date=veteran) for _ in range(8)]
    helpers = [ProfileFactory(department=support, location=lisbon, start_date=newcomer) for _ in range(6)]
    lawyers = [ProfileFactory(department=legal, location=lisbon) for _ in range(3)]
    comms.department, comms.location = None, lisbon
    comms.save()
    for person in sellers[:6] + helpers[:1] + lawyers:
        ActiveDay.objects.create(profile=person, day=day)
    for person in sellers[:2]:
        PostFactory(author=person, created_at=noon)
    placements_record(day=day - timedelta(days=40))
    segments_fill(day=day)
    Objective.objects.create(
        measure="active_7", target_percent=50, due=day + timedelta(days=90), created_by=comms
    )
    return day


def cells(page: str, heading: str) -> list[list[str]]:
    """The rows of the first table after `heading`, as text cells."""
    section = page.split(heading, 1)[1].split("</table>", 1)[0]
    return [
        re.findall(r"<td>(.*?)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
        if "<td>" in row
    ]


def test_summary_figures_match_a_hand_count(comms, company):
    page = signed_in(comms).get("/analytics/summary/").content.decode()

    # 18 people; active in the week: 6 + 1 + 3 = 10 (56%); contributors: 2 (11%); posts: 2.
    adoption = {row[0]: row[1] for row in cells(page, '<h2 id="s-adoption">')}
    assert adoption["People"] == "18"
    assert adoption["Weekly active"] == "56%"
    assert adoption["Contributors (28 days)"] == "11%"
    assert adoption["Posts"] == "2"
    # The objective: 50% weekly active, company-wide, now 55.6% and reached.
    assert cells(page, '<h2 id="s-objectives">')[0][3] == "55.6% (reached)"
    # Lowest weekly active by department: only Sales is large enough to stand alone (6 of 8).
    assert cells(page, "<h3>By department</h3>") == [["Sales", "8", "75%"]]
    # By tenure band: the 4 with no start date are withheld, so the next smallest band (the 6
    # newcomers) goes too, or "everyone minus the rest" would be those 4. The veterans remain.
    assert cells(page, "<h3>By tenure</h3>") == [["10 years or more", "8", "75%"]]
    assert "Legal" not in page and "Support" not in page


def test_summary_is_for_communications_only(colleague):
    assert signed_in(colleague).get("/analytics/summary/").status_code == 403
