"""Objectives the Communications team sets and tracks, and the dormant-group playbook: which groups
are dormant, a one-click nudge or merge suggestion to their admins, and whether they came back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.fill import groups_fill, placements_record, segments_fill
from analytics.models import ActiveDay, GroupAction, GroupDay, Objective
from communities import services as communities
from communities.models import Community
from moderation.models import AuditEntry
from notifications.models import Notification
from tests.factories import DepartmentFactory, LocationFactory, PostFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


# --- Objectives ---------------------------------------------------------------------------------


@pytest.fixture
def company(comms):
    """Ten people in Engineering, four of them active in the last week; the day filled."""
    yesterday = timezone.localdate() - timedelta(days=1)
    eng = DepartmentFactory(name="Engineering")
    people = [ProfileFactory(department=eng, location=LocationFactory(name="Lisbon")) for _ in range(9)]
    comms.department = eng
    comms.save()
    for person in people[:4]:
        ActiveDay.objects.create(profile=person, day=yesterday)
    placements_record(day=yesterday - timedelta(days=2))
    segments_fill(day=yesterday)
    return {"eng": eng}


def test_an_objective_shows_its_progress_from_the_stored_figures(comms, company):
    client = signed_in(comms)
    due = timezone.localdate() + timedelta(days=60)

    response = client.post(
        "/analytics/objectives/",
        {
            "measure": "active_7",
            "department": company["eng"].pk,
            "target_percent": "80",
            "due": due.isoformat(),
        },
    )

    assert response.status_code == 302
    page = client.get("/analytics/objectives/").content.decode()
    # 4 of Engineering's 10 were active in the week: 40%, half way to 80%.
    assert "80.0% weekly active" in page and "<td>Engineering</td>" in page
    assert "40.0%" in page and 'value="50"' in page
    assert AuditEntry.objects.filter(action="objective.create").count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"target_percent": "120"}, "at most 100%"),
        ({"target_percent": "0"}, "more than 0%"),
        ({"due": "2020-01-01"}, "must be in the future"),
        ({"department": "987654"}, "There is no such department"),
        ({"measure": "salary"}, "Select a valid choice"),
    ],
)
def test_a_bad_objective_is_refused_with_a_clear_error_and_nothing_saved(comms, data, message):
    good = {"measure": "active_7", "department": "", "target_percent": "60",
            "due": (timezone.localdate() + timedelta(days=30)).isoformat()}  # fmt: skip

    response = signed_in(comms).post("/analytics/objectives/", {**good, **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Objective.objects.exists()


def test_only_communications_may_set_objectives(colleague):
    response = signed_in(colleague).post(
        "/analytics/objectives/", {"measure": "active_7", "target_percent": "60", "due": "2999-01-01"}
    )

    assert response.status_code == 403
    assert not Objective.objects.exists()


# --- Dormant groups -------------------------------------------------------------------------------


@pytest.fixture
def groups(comms, author, colleague):
    """Chess club (Ada admin, Colin member): quiet for 40 days. Running club (Colin admin): active."""
    long_ago = timezone.now() - timedelta(days=90)
    chess = communities.community_create(
        creator=author, name="Chess club", category="social", visibility="public"
    )
    running = communities.community_create(
        creator=colleague, name="Running club", category="social", visibility="public"
    )
    communities.community_join(community=chess, profile=colleague)
    Community.objects.update(created_at=long_ago)
    PostFactory(author=author, community=chess, created_at=timezone.now() - timedelta(days=40))
    PostFactory(author=colleague, community=running, created_at=timezone.now() - timedelta(days=2))
    groups_fill(day=timezone.localdate() - timedelta(days=1))
    return {"chess": chess, "running": running}


def test_dormant_groups_are_listed_with_their_count_over_time(comms, groups):
    page = signed_in(comms).get("/analytics/groups/").content.decode()

    assert "Chess club" in page and "Running club" not in page.split("Dormant now")[1].split("Did it work")[0]
    assert GroupDay.objects.get().dormant == 1


def test_a_nudge_tells_the_admins_and_the_comeback_is_measured(comms, author, groups):
    client = signed_in(comms)

    client.post("/analytics/groups/", {"community": groups["chess"].pk, "kind": "nudge"})

    note = Notification.objects.get(recipient=author)
    assert "Chess club has been quiet" in note.summary
    assert GroupAction.objects.get().kind == "nudge"
    assert "Not yet" in client.get("/analytics/groups/").content.decode()

    PostFactory(author=author, community=groups["chess"], created_at=timezone.now() + timedelta(minutes=1))
    assert "Came back" in client.get("/analytics/groups/").content.decode()


def test_a_merge_suggestion_names_the_active_group_sharing_members(comms, author, groups):
    signed_in(comms).post("/analytics/groups/", {"community": groups["chess"].pk, "kind": "merge"})

    action = GroupAction.objects.get()
    assert action.merge_into == groups["running"]
    assert "Running club" in Notification.objects.get(recipient=author).summary


def test_a_merge_with_nothing_similar_is_refused_and_nothing_recorded(comms, groups, colleague):
    communities.community_leave(community=groups["chess"], profile=colleague)

    response = signed_in(comms).post(
        "/analytics/groups/", {"community": groups["chess"].pk, "kind": "merge"}, follow=True
    )

    assert "No active group shares members" in response.content.decode()
    assert not GroupAction.objects.exists()
    assert not Notification.objects.exists()


def test_only_communications_may_act_on_groups(colleague, groups):
    response = signed_in(colleague).post(
        "/analytics/groups/", {"community": groups["chess"].pk, "kind": "nudge"}
    )

    assert response.status_code == 403
    assert not GroupAction.objects.exists()
