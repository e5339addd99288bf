"""People as colleagues find them: the directory, a profile page, and editing one's own profile."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from expertise.models import ProfileSkill
from expertise.services import endorsement_create, profile_interests_set, profile_skills_set
from profiles.models import Profile
from projects.services import project_create
from tests.factories import DepartmentFactory, KudosFactory, PostFactory, ProfileFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

# Measured once the viewer's first request of the day has recorded them as active (analytics).
# Session, user, viewer profile, roles (context processor), departments, locations, the skill
# filtered on (only with ?skill=), one page of people.
DIRECTORY_MAX_QUERIES = 8
# Session, user, viewer profile, roles, the profile with manager, direct reports, skills and
# interests, who endorsed each skill, kudos received, the values of those kudos (a kudos names one or
# more values since issue 13: one prefetch for the whole list), kudos count, the viewer's groups and
# recent posts (feed's recent_activity tag), whether the viewer follows them (feed's follow button),
# their projects (projects' partial); the "Report this" form's list of guideline clauses (moderation's
# flag form, two queries when its hour-long cache is cold, as here); and, since issue 13's badges, the
# values someone is most recognised for and their badges (one query each).
PROFILE_PAGE_MAX_QUERIES = 19
PAGE_SIZE = 30  # profiles.selectors.directory_page


def _names_on(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong><br><span class=\"muted\">", response.content.decode())


def _more_people_link(response) -> str | None:
    match = re.search(r'href="(\?[^"]*cursor=[^"]+)">More people', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def viewer_client(client, colleague):
    return client_for(client, colleague)


# --- Directory ------------------------------------------------------------------------------


def test_directory_lists_active_people_alphabetically(viewer_client, author, colleague, outsider):
    response = viewer_client.get("/people/")

    assert response.status_code == 200
    assert _names_on(response) == ["Ada Author", "Colin Colleague", "Olga Outsider"]


def test_deactivated_person_disappears_from_the_directory(viewer_client, author, colleague):
    author.user.is_active = False
    author.user.save()

    response = viewer_client.get("/people/")

    assert _names_on(response) == ["Colin Colleague"]


def test_directory_pages_with_a_cursor_and_shows_everyone_once(viewer_client, colleague):
    for n in range(PAGE_SIZE + 5):
        ProfileFactory(display_name=f"Person {n:02d}")

    first = viewer_client.get("/people/")
    second = viewer_client.get("/people/" + _more_people_link(first))

    assert len(_names_on(first)) == PAGE_SIZE
    assert _more_people_link(second) is None
    everyone = _names_on(first) + _names_on(second)
    assert everyone == sorted(everyone)
    assert len(everyone) == len(set(everyone)) == PAGE_SIZE + 6  # and the viewer


def test_people_with_the_same_name_are_not_lost_between_pages(viewer_client, colleague):
    twins = [ProfileFactory(display_name="Sam Same") for _ in range(PAGE_SIZE + 2)]

    first = viewer_client.get("/people/")
    second = viewer_client.get("/people/" + _more_people_link(first))

    seen = [p.pk for p in first.context["page"].items + second.context["page"].items]
    assert sorted(pk for pk in seen if pk != colleague.pk) == sorted(p.pk for p in twins)


def test_directory_filters_by_department_across_pages(viewer_client, author, outsider):
    finance = outsider.department
    for n in range(PAGE_SIZE + 1):
        ProfileFactory(display_name=f"Fin {n:02d}", department=finance)

    first = viewer_client.get(f"/people/?department={finance.pk}")
    link = _more_people_link(first)
    second = viewer_client.get("/people/" + link)

    assert f"department={finance.pk}" in link
    names = _names_on(first) + _names_on(second)
    assert len(names) == PAGE_SIZE + 2
    assert "Ada Author" not in names
    assert "Olga Outsider" in names


def test_department_with_nobody_shows_an_empty_directory(viewer_client, author):
    empty = DepartmentFactory(name="Legal")

    response = viewer_client.get(f"/people/?department={empty.pk}")

    assert _names_on(response) == []
    assert "No one matches." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "department=abc",
        "cursor=not-a-cursor",
        "cursor=WyJBZGEiXQ",  # ["Ada"]: one value for two keys
        "cursor=WyJBZGEiLCAieCJd",  # ["Ada", "x"]: an id that is not a number
    ],
)
def test_edited_directory_link_is_a_bad_request(viewer_client, query):
    assert viewer_client.get(f"/people/?{query}").status_code == 400


@pytest.mark.parametrize("people", [3, 80])
def test_directory_query_count_does_not_grow_with_people(
    viewer_client, django_assert_max_num_queries, people
):
    for n in range(people):
        ProfileFactory(department=DepartmentFactory(name=f"Team {n % 7}"))
    viewer_client.get("/people/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(DIRECTORY_MAX_QUERIES):
        response = viewer_client.get("/people/")

    assert response.status_code == 200


# --- A profile page -------------------------------------------------------------------------


@pytest.fixture
def manager(db):
    return ProfileFactory(display_name="Mia Manager", user__email="mia@example.com")


def test_profile_shows_manager_direct_reports_skills_and_kudos(viewer_client, author, manager, colleague):
    author.manager = manager
    author.save()
    report = ProfileFactory(display_name="Rita Report", manager=author)
    gone = ProfileFactory(display_name="Gus Gone", manager=author, user__is_active=False)
    profile_skills_set(profile=author, names=["Python", "Public speaking"])
    KudosFactory(giver=colleague, recipients=[author], message="Saved the launch")

    page = viewer_client.get(f"/people/{author.pk}/").content.decode()

    assert "Reports to" in page and "Mia Manager" in page
    assert f'href="/people/{report.pk}/">Rita Report</a>' in page
    assert gone.display_name not in page
    assert ">Python</a>" in page and ">Public speaking</a>" in page
    assert "Kudos received (1)" in page
    assert "Saved the launch" in page and "Colin Colleague" in page


def test_profile_of_someone_who_left_says_so(viewer_client):
    gone = ProfileFactory(display_name="Gus Gone", user__is_active=False)

    page = viewer_client.get(f"/people/{gone.pk}/").content.decode()

    assert "No longer works here." in page


def test_unknown_profile_is_not_found(viewer_client):
    assert viewer_client.get("/people/999999/").status_code == 404


@pytest.mark.parametrize("amount", [1, 25])
def test_profile_page_query_count_does_not_grow_with_skills_kudos_or_reports(
    viewer_client, author, manager, django_assert_max_num_queries, amount
):
    author.manager = manager
    author.save()
    profile_skills_set(profile=author, names=[f"Skill {n}" for n in range(amount)])
    listed = list(ProfileSkill.objects.filter(content_object=author).order_by("id"))
    profile_interests_set(profile=author, names=[f"Interest {n}" for n in range(min(amount, 30))])
    for n in range(amount):
        report = ProfileFactory(manager=author, department=DepartmentFactory(name=f"Team {n}"))
        KudosFactory(recipients=[author], created_at=timezone.now() - timedelta(minutes=n))
        endorsement_create(endorser=report, profile_skill_id=listed[n].pk)  # every shape a page shows
        project_create(creator=author, name=f"Project {n}", summary="Work")
        PostFactory(author=author, body=f"Update {n}")
    viewer_client.get("/people/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(PROFILE_PAGE_MAX_QUERIES):
        response = viewer_client.get(f"/people/{author.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    newest = amount - 1
    assert "Skill 0" in page and "Interest 0" in page
    assert f"Project {newest}" in page and f"Update {newest}" in page


# --- Editing --------------------------------------------------------------------------------


def _edit_form(profile: Profile, **changes) -> dict:
    data = {
        "display_name": profile.display_name,
        "job_title": profile.job_title,
        "department": profile.department_id or "",
        "location": profile.location_id or "",
        "bio": profile.bio,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_owner_edits_their_profile(client, author, outsider):
    client_for(client, author)

    response = client.post(
        f"/people/{author.pk}/edit/",
        _edit_form(author, job_title="Staff engineer", department=outsider.department_id),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/people/{author.pk}/"
    author.refresh_from_db()
    assert author.job_title == "Staff engineer"
    assert author.department == outsider.department
    assert "Profile saved." in client.get(response["Location"]).content.decode()


def test_owner_sees_an_edit_link_and_a_colleague_does_not(client, author, colleague):
    edit_link = f'href="/people/{author.pk}/edit/"'

    assert edit_link in client_for(client, author).get(f"/people/{author.pk}/").content.decode()
    assert edit_link not in client_for(client, colleague).get(f"/people/{author.pk}/").content.decode()


def test_colleague_cannot_open_or_submit_someone_elses_profile_form(client, author, colleague):
    client_for(client, colleague)

    opened = client.get(f"/people/{author.pk}/edit/")
    submitted = client.post(f"/people/{author.pk}/edit/", _edit_form(author, display_name="Hacked"))

    assert opened.status_code == 403
    assert submitted.status_code == 403
    author.refresh_from_db()
    assert author.display_name == "Ada Author"


def test_superuser_can_edit_anyones_profile(client, author):
    admin = ProfileFactory(user=UserFactory(is_superuser=True, is_staff=True))
    client_for(client, admin)

    response = client.post(f"/people/{author.pk}/edit/", _edit_form(author, job_title="Principal"))

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.job_title == "Principal"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"display_name": ""}, "This field is required."),
        ({"bio": "x" * 2001}, "at most 2000 characters"),
        ({"department": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_profile_input_shows_an_error_and_saves_nothing(client, author, changes, error):
    client_for(client, author)
    before = Profile.objects.values().get(pk=author.pk)

    response = client.post(f"/people/{author.pk}/edit/", _edit_form(author, job_title="Changed", **changes))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Profile.objects.values().get(pk=author.pk) == before
