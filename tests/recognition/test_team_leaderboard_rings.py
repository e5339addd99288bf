"""The manager view (who on my team has gone unrecognised), the leaderboard with its opt-out, and the
admin report of recognition rings."""

from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from feed.services import post_remove_by_moderator
from recognition import services
from recognition.selectors import leaderboard
from tests.factories import DepartmentFactory, KudosFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def _kudos(giver, recipient, *, days_ago=0, **kwargs):
    kudos = KudosFactory(
        giver=giver, recipients=[recipient], created_at=timezone.now() - timedelta(days=days_ago), **kwargs
    )
    return kudos


# --- Manager view ------------------------------------------------------------------------------


def test_manager_sees_who_on_the_team_has_gone_unrecognised_longest_first(author, colleague, teamwork):
    manager = ProfileFactory(display_name="Maya Manager")
    never = ProfileFactory(display_name="Nia Never", manager=manager)
    long_ago = ProfileFactory(display_name="Lou Longago", manager=manager)
    recent = ProfileFactory(display_name="Rex Recent", manager=manager)
    _kudos(author, long_ago, days_ago=75)
    _kudos(author, recent, days_ago=2)
    services.kudos_give(
        giver=colleague, recipients=[recent], values=[teamwork], message="Quiet thanks", is_private=True
    )
    _kudos(recent, author, days_ago=1)
    ProfileFactory(display_name="Olive Otherteam")

    page = _text(signed_in(manager).get("/kudos/team/"))

    assert page.index("Nia Never") < page.index("Lou Longago") < page.index("Rex Recent")
    assert "Olive Otherteam" not in page
    assert "<strong>2</strong> have not been recognised in 60 days and <strong>1</strong> in 90" in page
    assert "your team received 3 kudos and gave 1" in page  # the private kudos counts for the manager
    assert f'href="/kudos/give/?to={never.pk}">Recognise Nia Never' in page


def test_manager_view_does_not_count_kudos_a_moderator_removed(author, colleague, moderator, teamwork):
    manager = ProfileFactory(display_name="Maya Manager")
    kept = ProfileFactory(display_name="Kim Kept", manager=manager)
    removed = ProfileFactory(display_name="Ray Removed", manager=manager)
    _kudos(author, kept, days_ago=70)
    public = _kudos(author, removed, days_ago=1)
    private = services.kudos_give(
        giver=colleague, recipients=[removed], values=[teamwork], message="Quiet", is_private=True
    )
    gave = _kudos(removed, author, days_ago=1)
    for kudos in (public, private, gave):  # a moderator's decision on a flag
        services.kudos_remove_by_moderator(object_id=kudos.pk, moderator=moderator, at=timezone.now())
    post_taken_down = _kudos(author, kept, days_ago=3)  # its post removed as a post (the feed's flag)
    post_remove_by_moderator(object_id=post_taken_down.post_id, moderator=moderator, at=timezone.now())

    page = _text(signed_in(manager).get("/kudos/team/"))

    # Ray counts as never recognised, Kim as last recognised 70 days ago; nothing in the window either way.
    assert page.index("Ray Removed") < page.index("Kim Kept")
    assert "<strong>2</strong> have not been recognised in 60 days and <strong>1</strong> in 90" in page
    assert "your team received 1 kudos and gave 0" in page


def test_someone_without_reports_is_told_there_is_no_team(author_client):
    assert "Nobody reports to you" in _text(author_client.get("/kudos/team/"))


# --- Leaderboard -------------------------------------------------------------------------------


def test_leaderboard_ranks_public_kudos_and_never_ranks_people_who_opted_out(author, colleague, teamwork):
    star, shy, second = (ProfileFactory(display_name=n) for n in ("Sam Star", "Shy Sheila", "Sid Second"))
    for _ in range(3):
        _kudos(author, star, values=[teamwork])
        _kudos(author, shy)
    _kudos(colleague, second)
    for _ in range(5):  # private kudos are nobody else's business
        services.kudos_give(
            giver=colleague, recipients=[second], values=[teamwork], message="x", is_private=True
        )
    signed_in(shy).post("/kudos/preferences/", {"leaderboard_opt_out": "on"})

    page = _text(signed_in(author).get("/kudos/leaderboard/"))

    assert "Shy Sheila" not in page
    assert page.index("Sam Star") < page.index("Sid Second")
    assert "Sam Star</a>" in page and ": 3 kudos" in page
    assert ": 1 kudos" in page


def test_leaderboard_filters_by_value_department_and_period(author, teamwork, boldness):
    sales = DepartmentFactory(name="Sales")
    seller = ProfileFactory(display_name="Sal Seller", department=sales)
    builder = ProfileFactory(display_name="Bo Builder")
    _kudos(author, seller, values=[boldness])
    _kudos(author, builder, values=[teamwork])
    client = signed_in(author)

    by_value = _text(client.get("/kudos/leaderboard/", {"value": boldness.pk}))
    assert "Sal Seller" in by_value and "Bo Builder" not in by_value
    by_department = _text(client.get("/kudos/leaderboard/", {"department": sales.pk}))
    assert "Sal Seller" in by_department and "Bo Builder" not in by_department
    assert 'Bo Builder</a> <span class="muted">' not in by_department


def test_leaderboard_periods_are_the_calendar_month_quarter_and_year(author, teamwork):
    builder = ProfileFactory(display_name="Bo Builder")
    at = datetime(2026, 5, 20, 12, tzinfo=UTC)
    for when in (at, at - timedelta(days=30), at - timedelta(days=60), at - timedelta(days=400)):
        KudosFactory(giver=author, recipients=[builder], values=[teamwork], created_at=when)

    def kudos(period):
        return [r.kudos for r in leaderboard(period=period, today=date(2026, 5, 31))]

    assert kudos("month") == [1]  # 20 May
    assert kudos("quarter") == [2]  # April to June: 20 April and 20 May
    assert kudos("year") == [3]  # 21 March too; not 2025
    assert [r.kudos for r in leaderboard(period="month", value_id=teamwork.pk, today=date(2026, 5, 1))] == [1]


def test_preferences_page_turns_the_opt_out_on_and_off(author_client, author):
    response = author_client.post("/kudos/preferences/", {"leaderboard_opt_out": "on"}, follow=True)
    assert "You are no longer ranked on leaderboards." in _text(response)
    assert 'id="pref-optout" checked' in _text(author_client.get("/kudos/preferences/"))

    author_client.post("/kudos/preferences/", {})
    assert 'id="pref-optout" checked' not in _text(author_client.get("/kudos/preferences/"))


# --- Rings -------------------------------------------------------------------------------------


def test_rings_report_lists_pairs_trading_kudos_both_ways_for_admins_only(
    author, colleague, outsider, author_client
):
    for _ in range(3):
        _kudos(author, colleague)
        _kudos(colleague, author)
        _kudos(outsider, author)  # one way only: not a ring
    _kudos(author, outsider)
    admin = ProfileFactory(display_name="Ann Admin", user__is_staff=True)
    admin.user.user_permissions.add(Permission.objects.get(codename="view_kudos"))

    assert author_client.get("/kudos/rings/").status_code == 403
    page = _text(signed_in(admin).get("/kudos/rings/"))

    assert "Ada Author" in page and "Colin Colleague" in page
    assert "Olga Outsider" not in page
    assert "<td>3</td><td>3</td>" in page
