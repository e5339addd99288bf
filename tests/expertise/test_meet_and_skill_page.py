"""People you should meet (/skills/meet/) and a skill's page ranked by endorsements and level."""

import re

import pytest

from expertise import selectors
from expertise.models import Endorsement, ProfileSkill
from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory
from tests.helpers import endorse, lists, skill_item

pytestmark = pytest.mark.django_db

Level = ProfileSkill.Level
# Session, user, viewer profile, roles, the viewer's skills, their interests, the ranking, the people.
MEET_MAX_QUERIES = 8
# Session, user, viewer profile, roles, the skill, one page of people.
SKILL_PAGE_MAX_QUERIES = 6


def _person(name: str, department: str, location: str, **kwargs):
    return ProfileFactory(
        display_name=name,
        department=DepartmentFactory(name=department),
        location=LocationFactory(name=location),
        **kwargs,
    )


def _suggested(response) -> list[str]:
    return re.findall(r"<a href=\"/people/\d+/\"><strong>([^<]+)</strong>", response.content.decode())


@pytest.fixture
def company(author):
    """The author (Engineering, Lisbon) and colleagues who share more or less with them."""
    lists(author, "Python", "Go", "Kubernetes", interests=("Running", "Chess"))
    people = {
        "finance_lisbon": _person("Fay Finance", "Finance", "Lisbon"),
        "engineering_berlin": _person("Ben Berlin", "Engineering", "Berlin"),
        "finance_berlin": _person("Cal Cross", "Finance", "Berlin"),
        "sales_lisbon": _person("Dee Sales", "Sales", "Lisbon"),
        "same_team_and_place": _person("Sam Same", "Engineering", "Lisbon"),
        "gone": _person("Gus Gone", "Legal", "Paris", user__is_active=False),
        "manager": _person("Max Manager", "Board", "Paris"),
        "report": _person("Ria Report", "Sales", "Paris"),
        "nothing_shared": _person("Nia Nothing", "Legal", "Paris"),
    }
    author.manager = people["manager"]
    author.save()
    people["report"].manager = author
    people["report"].save()
    lists(people["finance_lisbon"], "Python", "Go", interests=("Running",))
    lists(people["engineering_berlin"], "Python", "Excel", interests=("Chess",))
    lists(people["finance_berlin"], "Kubernetes")
    lists(people["sales_lisbon"], "Go")
    for _ in range(3):
        endorse(ProfileFactory(), people["finance_berlin"], "Kubernetes")
    for key in ("same_team_and_place", "gone", "manager", "report"):
        lists(people[key], "Python", "Go", "Kubernetes", interests=("Running", "Chess"))
    lists(people["nothing_shared"], "Excel", interests=("Golf",))
    return people


def test_meet_ranks_colleagues_elsewhere_by_what_they_share(author_client, company):
    response = author_client.get("/skills/meet/")

    assert response.status_code == 200
    # 3 shared, 2 shared, then 1 each: the one with endorsed Kubernetes before the unendorsed Go.
    assert _suggested(response) == ["Fay Finance", "Ben Berlin", "Cal Cross", "Dee Sales"]


def test_meet_leaves_out_same_team_and_place_self_leavers_manager_and_reports(author_client, company):
    names = _suggested(author_client.get("/skills/meet/"))

    for left_out in ("Sam Same", "Ada Author", "Gus Gone", "Max Manager", "Ria Report", "Nia Nothing"):
        assert left_out not in names


def test_meet_shows_what_is_shared(author, company):
    suggestions = selectors.people_to_meet(viewer=author)

    top = suggestions[0]
    assert top.person == company["finance_lisbon"]
    assert (top.shared_skills, top.shared_interests, top.shared) == (["Go", "Python"], ["Running"], 3)
    assert suggestions[2].strength == 3  # Kubernetes' three endorsements


def test_meet_page_lists_the_shared_skills_and_interests(author_client, company):
    page = author_client.get("/skills/meet/").content.decode()

    assert "Skills: Go, Python" in page
    assert "Interests: Running" in page


def test_meet_asks_people_without_skills_or_interests_to_list_some(author_client):
    page = author_client.get("/skills/meet/").content.decode()

    assert "List a few" in page


def test_meet_says_so_when_nobody_elsewhere_shares_anything(author_client, author):
    lists(author, "Cobol")

    assert "Nobody in another department or location" in author_client.get("/skills/meet/").content.decode()


def test_meet_considers_the_most_endorsed_holders_of_a_very_common_skill(author, monkeypatch):
    lists(author, "Excel")
    plain = _person("Pat Plain", "Finance", "Paris")
    vouched = _person("Vic Vouched", "Finance", "Paris")
    lists(plain, "Excel")
    lists(vouched, "Excel")
    endorse(plain, vouched, "Excel")
    monkeypatch.setattr(selectors, "MEET_CANDIDATE_ROWS", 1)
    monkeypatch.setattr(selectors, "MEET_MIN_ROWS_PER_TAG", 1)

    assert [s.person for s in selectors.people_to_meet(viewer=author)] == [vouched]


def test_skills_index_links_to_people_you_should_meet(author_client):
    assert 'href="/skills/meet/"' in author_client.get("/skills/").content.decode()


@pytest.mark.parametrize("people", [3, 40])
def test_meet_query_count_does_not_grow_with_people(
    author_client, author, django_assert_max_num_queries, people
):
    lists(author, *(f"Skill {n}" for n in range(10)), interests=("Running", "Chess"))
    for n in range(people):
        person = _person(f"Person {n}", f"Team {n % 4}", f"Office {n % 3}")
        lists(person, f"Skill {n % 10}", f"Skill {(n + 1) % 10}", interests=("Running",))
    author_client.get("/skills/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(MEET_MAX_QUERIES):
        response = author_client.get("/skills/meet/")

    assert len(_suggested(response)) == min(people, selectors.MEET_LIMIT)


# --- A skill's page -------------------------------------------------------------------------------


def _names_on(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong><br><span class=\"muted\">", response.content.decode())


def test_skill_page_lists_most_endorsed_then_highest_level_then_by_name(author_client, author):
    people = {name: ProfileFactory(display_name=name) for name in ("Ann", "Bea", "Cy", "Dot", "Eve")}
    lists(people["Ann"], "Python", level=Level.LEARNING)
    lists(people["Bea"], "Python", level=Level.EXPERT)
    lists(people["Cy"], "Python", level=Level.LEARNING)
    lists(people["Dot"], "Python", level=Level.LEARNING)
    lists(people["Eve"], "Python", level=Level.PRACTISED)
    endorse(author, people["Dot"], "Python")
    endorse(people["Ann"], people["Dot"], "Python")
    endorse(author, people["Cy"], "Python")

    response = author_client.get("/skills/python/")

    assert _names_on(response) == ["Dot", "Cy", "Bea", "Eve", "Ann"]
    page = response.content.decode()
    assert "Learning · 2 endorsements" in page
    assert "Expert · 0 endorsements" in page


def test_skill_page_pages_through_everyone_in_rank_order(author_client, author):
    people = [ProfileFactory(display_name=f"Dev {n:02d}") for n in range(40)]
    for n, person in enumerate(people):
        lists(person, "Python", level=1 + n % 4)
    items = {p.pk: skill_item(p, "Python") for p in people}
    for n, person in enumerate(people):
        ProfileSkill.objects.filter(pk=items[person.pk].pk).update(endorsement_count=n % 3)
    expected = sorted(
        people, key=lambda p: (-(people.index(p) % 3), -(1 + people.index(p) % 4), p.display_name)
    )

    first = author_client.get("/skills/python/")
    link = re.search(r'href="(\?cursor=[^"]+)"', first.content.decode()).group(1)
    second = author_client.get("/skills/python/" + link)

    assert _names_on(first) + _names_on(second) == [p.display_name for p in expected]


@pytest.mark.parametrize("people", [2, 60])
def test_skill_page_query_count_does_not_grow_with_people_or_endorsements(
    author_client, author, django_assert_max_num_queries, people
):
    for n in range(people):
        person = ProfileFactory(department=DepartmentFactory(name=f"Team {n % 5}"))
        lists(person, "Python", level=1 + n % 4)
        Endorsement.objects.create(profile_skill=skill_item(person, "Python"), endorser=author)
    author_client.get("/skills/")

    with django_assert_max_num_queries(SKILL_PAGE_MAX_QUERIES):
        assert author_client.get("/skills/python/").status_code == 200


def test_a_skill_named_meet_gets_a_page_of_its_own(author_client, author):
    author_client.post("/skills/mine/", {"skills": "Meet"})

    assert author_client.get("/skills/meet/").status_code == 200
    skill_url = ProfileSkill.objects.get(content_object=author).tag.get_absolute_url()
    assert skill_url != "/skills/meet/"
    assert _names_on(author_client.get(skill_url)) == ["Ada Author"]
