"""A newcomer's first weeks: the checklist on Home with its progress, colleagues to follow, tips on a
page the first time it is opened, and the counts Communications sees (feed/newcomers.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.services import community_create, community_join
from feed import newcomers
from feed.models import FollowPerson, NewcomerChecklistDismissal
from feed.services import comment_create, follow_person_toggle, post_create
from profiles import roles
from profiles.models import Department, Location, Profile
from tests.factories import ProfileFactory, in_group
from tests.helpers import lists, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.newcomer_path]


def _started(days_ago: int, **extra) -> Profile:
    return ProfileFactory(start_date=timezone.localdate() - timedelta(days=days_ago), **extra)


def _checklist(html: str) -> str:
    start = html.find("data-newcomer-checklist")
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def _do_everything(person: Profile, others: list[Profile]) -> None:
    Profile.objects.filter(pk=person.pk).update(photo="profile-photos/me.png", bio="Hello, I'm new.")
    lists(person, "Python", "Django", "PostgreSQL")
    for other in others[:5]:
        FollowPerson.objects.get_or_create(follower=person, followee=other)
    group = community_create(creator=others[0], name="Newcomers", category="social", visibility="public")
    community_join(community=group, profile=person)
    question = post_create(author=others[0], body="Where is the canteen?", kind="question")
    comment_create(post_id=question.pk, author=person, body="Second floor.")


def test_a_newcomer_sees_the_checklist_on_home_with_nothing_done():
    newcomer = _started(2)
    html = _checklist(signed_in(newcomer).get(reverse("feed:home")).content.decode())
    assert "0 of 5 done" in html
    for step in newcomers.STEPS:
        assert step.label in html
    assert reverse("profiles:edit", args=[newcomer.pk]) in html


def test_someone_who_started_long_ago_sees_no_checklist_and_pays_no_query_for_it(django_assert_num_queries):
    veteran = _started(400)
    assert "data-newcomer-checklist" not in signed_in(veteran).get(reverse("feed:home")).content.decode()
    with django_assert_num_queries(0):
        assert newcomers.checklist_for(viewer=veteran) is None


def test_progress_counts_each_step_and_the_checklist_goes_when_all_are_done():
    newcomer = _started(1)
    others = ProfileFactory.create_batch(6)
    client = signed_in(newcomer)
    lists(newcomer, "Python", "Django")
    follow_person_toggle(follower=newcomer, followee=others[0])
    html = _checklist(client.get(reverse("feed:home")).content.decode())
    assert "0 of 5 done" in html and "(2 of 3)" in html and "(1 of 5)" in html

    lists(newcomer, "Python", "Django", "PostgreSQL")
    post_create(author=newcomer, body="Hello everyone, I joined the platform team this week!")
    checklist = newcomers.checklist_for(viewer=newcomer)
    assert [s.step.key for s in checklist.steps if s.done] == ["skills", "post"]
    assert checklist.done_count == 2 and checklist.percent == 40

    _do_everything(newcomer, others)
    assert newcomers.checklist_for(viewer=newcomer) is None
    assert "data-newcomer-checklist" not in client.get(reverse("feed:home")).content.decode()


def test_colleagues_to_follow_come_from_manager_team_and_office_never_followed_or_gone():
    team, other_team = Department.objects.create(name="Platform"), Department.objects.create(name="Sales")
    office, other_office = Location.objects.create(name="Porto"), Location.objects.create(name="Oslo")
    boss = ProfileFactory(display_name="Zoe Boss", department=other_team, location=other_office)
    newcomer = _started(3, department=team, location=office, manager=boss)
    both = ProfileFactory(display_name="Bea Both", department=team, location=office)
    team_only = ProfileFactory(display_name="Tom Team", department=team, location=other_office)
    office_only = ProfileFactory(display_name="Ola Office", department=other_team, location=office)
    followed = ProfileFactory(display_name="Fay Followed", department=team, location=office)
    gone = ProfileFactory(display_name="Gus Gone", department=team, location=office, user__is_active=False)
    ProfileFactory(display_name="Sam Stranger", department=other_team, location=other_office)
    FollowPerson.objects.create(follower=newcomer, followee=followed)
    suggested = newcomers.colleagues_to_follow(viewer=newcomer)
    assert [p.display_name for p in suggested] == ["Zoe Boss", "Bea Both", "Tom Team", "Ola Office"]
    assert {gone.pk, followed.pk, newcomer.pk}.isdisjoint(p.pk for p in suggested)
    assert both in suggested and team_only in suggested and office_only in suggested


def test_following_a_suggested_colleague_from_home_comes_back_home():
    team = Department.objects.create(name="Platform")
    newcomer = _started(1, department=team)
    colleague = ProfileFactory(display_name="Bea Both", department=team)
    client = signed_in(newcomer)
    html = _checklist(client.get(reverse("feed:home")).content.decode())
    assert "Bea Both" in html and reverse("feed:person_follow", args=[colleague.pk]) in html
    response = client.post(reverse("feed:person_follow", args=[colleague.pk]), {"next": reverse("feed:home")})
    assert response.status_code == 302 and response.url == reverse("feed:home")
    assert FollowPerson.objects.filter(follower=newcomer, followee=colleague).exists()


def test_hiding_the_checklist_keeps_it_hidden_and_twice_is_once():
    newcomer = _started(1)
    client = signed_in(newcomer)
    for _ in range(2):
        response = client.post(reverse("feed:newcomer_dismiss"), {"next": reverse("feed:home")})
        assert response.status_code == 302
    assert NewcomerChecklistDismissal.objects.filter(profile=newcomer).count() == 1
    assert "data-newcomer-checklist" not in client.get(reverse("feed:home")).content.decode()


def test_a_tip_shows_the_first_time_a_page_is_opened_only_and_never_to_a_veteran():
    newcomer, veteran = _started(1), _started(400)
    client = signed_in(newcomer)
    first = client.get(reverse("profiles:directory")).content.decode()
    assert "data-newcomer-tip" in first and newcomers.TIPS["people"].split(",")[0] in first
    assert "data-newcomer-tip" not in client.get(reverse("profiles:directory")).content.decode()
    assert "data-newcomer-tip" in client.get(reverse("communities:index")).content.decode()
    assert "data-newcomer-tip" not in signed_in(veteran).get(reverse("profiles:directory")).content.decode()


def test_the_path_is_off_when_the_setting_says_zero(settings):
    settings.HIVE_NEWCOMER_DAYS = 0
    newcomer = _started(1)
    assert newcomers.checklist_for(viewer=newcomer) is None
    assert newcomers.tip_take(profile=newcomer, page="home") is None


def test_a_newcomers_suggested_colleague_name_is_escaped():
    team = Department.objects.create(name="Platform")
    newcomer = _started(1, department=team)
    ProfileFactory(display_name="<script>alert(1)</script>", department=team)
    html = signed_in(newcomer).get(reverse("feed:home")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


# --- What Communications sees ----------------------------------------------------------------------


def test_communications_sees_exact_counts_per_step_and_no_names():
    comms = in_group(_started(400, display_name="Cora Comms"), roles.COMMUNICATIONS)
    others = ProfileFactory.create_batch(6)
    Profile.objects.filter(pk__in=[p.pk for p in others]).update(
        start_date=timezone.localdate() - timedelta(days=500)
    )
    cohort = [_started(d, display_name=f"Newbie {d}") for d in (1, 2, 3, 10, 20, 40)]
    _do_everything(cohort[0], others)
    lists(cohort[1], "Python", "Django", "PostgreSQL")
    lists(cohort[4], "Go")  # one skill: not done
    newcomers.checklist_dismiss(profile=cohort[2])
    Profile.objects.filter(pk=cohort[5].user.pk).update()  # started 40 days ago: in the 90-day cohort only

    by_days = {c.days: c for c in newcomers.newcomer_figures()}
    assert not by_days[7].shown  # 3 people: below 5, no figure at all
    thirty = by_days[30]
    # Independent count: the five who started within 30 days, done steps read from the rows.
    recent = [p for p in cohort if p.start_date > timezone.localdate() - timedelta(days=30)]
    assert thirty.shown and thirty.people == len(recent) == 5
    steps = dict((s.key, n) for s, n in thirty.steps)
    assert steps == {"profile": 1, "skills": 2, "follow": 1, "group": 1, "post": 1}
    assert (thirty.all_done, thirty.dismissed) == (1, 1)
    assert by_days[90].people == 6

    html = signed_in(comms).get(reverse("feed:newcomer_figures")).content.decode()
    assert "Started in the last 30 days" in html and "Fewer than 5 people: no figures." in html
    assert "Newbie" not in html


def test_colleagues_cannot_see_the_newcomer_figures():
    assert signed_in(_started(400)).get(reverse("feed:newcomer_figures")).status_code == 403
