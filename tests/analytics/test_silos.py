"""Interactions between departments (replies, reactions, kudos), counted where people sat that day,
with small departments folded into "other" before they are stored, and the silo index per department."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from analytics.fill import placements_record, segments_fill
from analytics.models import OTHER, InteractionDay
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    KudosFactory,
    LocationFactory,
    PostFactory,
    ProfileFactory,
    ReactionFactory,
)
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(comms):
    """Yesterday: Engineering (7) mostly talks to itself, Sales (6) answers Engineering, Finance (2)
    reacts to Sales; Legal (3) is quiet."""
    day = timezone.localdate() - timedelta(days=1)
    noon = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    office = LocationFactory(name="Lisbon")
    eng, sales, fin = (DepartmentFactory(name=n) for n in ("Engineering", "Sales", "Finance"))
    engineers = [ProfileFactory(department=eng, location=office) for _ in range(7)]
    sellers = [ProfileFactory(department=sales, location=office) for _ in range(6)]
    accountants = [ProfileFactory(department=fin, location=office) for _ in range(2)]
    # Legal (3, quiet): with Finance and Cora, the withheld add up to 6, so no one else is withheld.
    legal = DepartmentFactory(name="Legal")
    for _ in range(3):
        ProfileFactory(department=legal, location=office)
    comms.department = None
    comms.save()
    eng_post = PostFactory(author=engineers[0], created_at=noon)
    sales_post = PostFactory(author=sellers[0], created_at=noon)
    for person in engineers[1:5]:  # 4 replies inside Engineering
        CommentFactory(post=eng_post, author=person, created_at=noon)
    first = CommentFactory(post=eng_post, author=sellers[1], created_at=noon)  # Sales -> Engineering
    CommentFactory(post=eng_post, parent=first, author=engineers[5], created_at=noon)  # Eng -> Sales (reply)
    CommentFactory(post=eng_post, author=engineers[0], created_at=noon)  # to oneself: not counted
    ReactionFactory(post=sales_post, profile=engineers[2], created_at=noon)  # Eng -> Sales
    ReactionFactory(post=sales_post, profile=accountants[0], created_at=noon)  # Finance -> Sales
    KudosFactory(giver=sellers[2], recipients=[sellers[3]], created_at=noon)  # Sales -> Sales
    PostFactory(author=engineers[1], created_at=noon - timedelta(days=1))  # another day
    placements_record(day=day - timedelta(days=3))
    segments_fill(day=day)
    return {"day": day, "eng": eng, "sales": sales, "fin": fin}


def test_interactions_are_stored_per_department_pair_with_small_departments_as_other(talk):
    eng, sales = talk["eng"].pk, talk["sales"].pk
    stored = {
        (row.source, row.target): (row.replies, row.reactions, row.kudos)
        for row in InteractionDay.objects.filter(day=talk["day"])
    }

    # Finance (2 people) is never stored under its own id:
    # Engineering (7) and Sales (6) are shown; Finance and the department-less Cora make "other".
    assert talk["fin"].pk not in {k for pair in stored for k in pair}
    assert stored == {
        (eng, eng): (4, 0, 0),
        (eng, sales): (1, 1, 0),
        (sales, eng): (1, 0, 0),
        (sales, sales): (0, 0, 1),
        (OTHER, sales): (0, 1, 0),
    }


def test_silo_page_shows_the_heat_map_and_the_silo_index(comms, talk):
    page = signed_in(comms).get("/analytics/silos/").content.decode()

    # Engineering: 4 inside of 4 + 2 out + 1 in = 7 -> 57%. Sales: 1 inside of 1 + 2 + 1 + 1 other = 5 -> 20%.
    assert "<td>Engineering</td><td>4</td><td>7</td><td>57%</td>" in page
    assert "<td>Sales</td><td>1</td><td>5</td><td>20%</td>" in page
    assert "Finance" not in page and "Legal" not in page
    assert '<th scope="row">Other (groups under 5 people)</th>' in page


def test_silo_page_refuses_a_reversed_range_and_people_outside_communications(comms, colleague):
    response = signed_in(comms).get("/analytics/silos/?start=2026-03-10&end=2026-03-01")

    assert response.status_code == 400
    assert "starts after it ends" in response.content.decode()
    assert signed_in(colleague).get("/analytics/silos/").status_code == 403
