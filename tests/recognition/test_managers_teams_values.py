"""Recipients' managers are told, kudos go to a whole project team, and a profile shows the values someone
is most recognised for."""

import pytest
from django.core.exceptions import ValidationError

from notifications.models import Kind, Notification
from projects.services import project_create, project_join
from recognition import services
from recognition.models import Kudos
from recognition.selectors import kudos_received_figures
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _give(giver, recipients, values, message="Saved the release", **kwargs):
    return services.kudos_give(giver=giver, recipients=recipients, values=values, message=message, **kwargs)


# --- Managers -----------------------------------------------------------------------------------


def test_each_manager_is_told_once_about_all_their_reports_in_a_kudos(author, teamwork):
    mia = ProfileFactory(display_name="Mia Manager")
    max_ = ProfileFactory(display_name="Max Manager")
    rita = ProfileFactory(display_name="Rita Report", manager=mia)
    ron = ProfileFactory(display_name="Ron Report", manager=mia)
    sam = ProfileFactory(display_name="Sam Solo", manager=max_)

    kudos = _give(author, [rita, ron, sam], [teamwork])

    to_mia = Notification.objects.get(recipient=mia)
    assert to_mia.kind == Kind.TEAM_KUDOS and to_mia.actor == author
    assert to_mia.summary.startswith("Ada Author recognised Rita Report and Ron Report, who report to you")
    assert to_mia.url == kudos.post.get_absolute_url()
    assert Notification.objects.get(recipient=max_).summary.startswith("Ada Author recognised Sam Solo, who")
    assert Notification.objects.filter(kind=Kind.TEAM_KUDOS).count() == 2


def test_a_manager_who_is_a_recipient_or_the_giver_is_told_only_once(teamwork):
    mia = ProfileFactory(display_name="Mia Manager")
    rita = ProfileFactory(display_name="Rita Report", manager=mia)
    ron = ProfileFactory(display_name="Ron Report", manager=rita)

    _give(mia, [rita], [teamwork])  # the giver manages the recipient
    assert not Notification.objects.filter(recipient=mia).exists()

    _give(ProfileFactory(), [rita, ron], [teamwork])  # Rita manages Ron and is a recipient herself

    assert Notification.objects.get(recipient=mia).summary.split(",")[0].endswith("recognised Rita Report")
    assert list(Notification.objects.filter(recipient=rita).values_list("kind", flat=True)) == [
        Kind.KUDOS,
        Kind.KUDOS,
    ]


def test_a_manager_who_left_is_not_told(author, teamwork):
    gone = ProfileFactory(user__is_active=False)
    _give(author, [ProfileFactory(manager=gone)], [teamwork])
    assert not Notification.objects.filter(recipient=gone).exists()


def test_managers_of_private_kudos_are_told_and_may_open_it_while_others_get_404(author, outsider, teamwork):
    mia = ProfileFactory(display_name="Mia Manager")
    rita = ProfileFactory(display_name="Rita Report", manager=mia)

    kudos = _give(author, [rita], [teamwork], is_private=True, message="Quiet thanks")

    note = Notification.objects.get(recipient=mia)
    assert "privately recognised Rita Report" in note.summary and note.url == f"/kudos/{kudos.pk}/"
    assert "Quiet thanks" in signed_in(mia).get(note.url).content.decode()
    assert signed_in(outsider).get(note.url).status_code == 404


def test_telling_managers_costs_the_same_queries_for_one_or_many_managers(
    author, teamwork, django_assert_max_num_queries
):
    def give_to(n):
        people = [ProfileFactory(manager=ProfileFactory()) for _ in range(n)]
        with django_assert_max_num_queries(40) as captured:
            _give(author, people, [teamwork])
        return len(captured.captured_queries)

    give_to(1)  # the giver's first kudos also opens their points account
    assert give_to(1) == give_to(12)
    assert Notification.objects.filter(kind=Kind.TEAM_KUDOS).count() == 14


# --- A project team -------------------------------------------------------------------------------


@pytest.fixture
def apollo(author, colleague):
    project = project_create(creator=author, name="Apollo", summary="Moon")
    project_join(project=project, profile=colleague)
    return project


def test_kudos_to_a_project_team_recognises_its_members_but_the_giver_each_once(
    author, colleague, apollo, teamwork
):
    gus = ProfileFactory(display_name="Gus Gone")
    project_join(project=apollo, profile=gus)
    gus.user.is_active = False
    gus.user.save()
    extra = ProfileFactory(display_name="Eve Extra")

    kudos = _give(author, [colleague, extra], [teamwork], project=apollo)

    assert kudos.project == apollo
    assert sorted(p.display_name for p in kudos.recipients.all()) == ["Colin Colleague", "Eve Extra"]


def test_a_team_over_the_cap_is_refused_and_nothing_is_saved(author, apollo, teamwork):
    for _ in range(services.RECIPIENTS_MAX):
        project_join(project=apollo, profile=ProfileFactory())
    with pytest.raises(ValidationError, match="more than 20 people"):
        _give(author, [], [teamwork], project=apollo)
    assert not Kudos.objects.exists()


def test_a_team_of_only_the_giver_is_refused(author, teamwork):
    solo = project_create(creator=author, name="Solo", summary="Alone")
    with pytest.raises(ValidationError, match="nobody else"):
        _give(author, [], [teamwork], project=solo)


def test_team_kudos_from_the_project_page_shows_the_team_in_the_feed(author, colleague, apollo, teamwork):
    browser = signed_in(author)
    assert (
        f'href="/kudos/give/?project={apollo.pk}"' in browser.get(apollo.get_absolute_url()).content.decode()
    )
    form = browser.get(f"/kudos/give/?project={apollo.pk}").content.decode()
    assert "The whole Apollo team" in form

    response = browser.post(
        "/kudos/give/", {"project": apollo.pk, "values": [teamwork.pk], "message": "Landed it"}, follow=True
    )

    page = response.content.decode()
    assert "Kudos sent to Colin Colleague." in page
    assert 'the <a href="/projects/' in page and ">Apollo</a> team:" in page


# --- Values most recognised for -------------------------------------------------------------------------


def test_profile_shows_the_values_someone_is_most_recognised_for_without_private_ones(
    author, colleague, outsider, teamwork, boldness
):
    for _ in range(2):
        _give(author, [colleague], [boldness])
    _give(author, [colleague], [teamwork, boldness])
    for _ in range(3):
        _give(outsider, [colleague], [teamwork], is_private=True)

    shown = kudos_received_figures(profile=colleague, viewer=ProfileFactory())
    assert [(v.name, v.kudos) for v in shown.top_values] == [("Be bold", 3), ("Teamwork", 1)]
    assert shown.total == 3
    own = kudos_received_figures(profile=colleague, viewer=colleague)
    assert [(v.name, v.kudos) for v in own.top_values] == [("Teamwork", 4), ("Be bold", 3)]
    assert own.total == 6
    giver = kudos_received_figures(profile=colleague, viewer=outsider)  # gave the private ones
    assert [(v.name, v.kudos) for v in giver.top_values] == [("Teamwork", 4), ("Be bold", 3)]
    assert giver.total == 6
    assert kudos_received_figures(profile=colleague, viewer=None).total == 3
    page = signed_in(author).get(f"/people/{colleague.pk}/").content.decode()
    assert "Most recognised for: <strong>🚀 Be bold</strong> (3), <strong>🤝 Teamwork</strong> (1)" in page
