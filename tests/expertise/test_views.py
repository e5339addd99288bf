"""Who knows what: listing one's skills, the skills index and a skill's page of people."""

import re

import pytest

from expertise.models import ProfileSkill, Skill
from expertise.services import MAX_SKILLS, profile_skills_set
from tests.factories import DepartmentFactory, ProfileFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

# Measured once the viewer's first request of the day has recorded them as active (analytics).
# Session, user, viewer profile, roles, the skill, one page of people.
SKILL_PAGE_MAX_QUERIES = 6
# Session, user, viewer profile, roles, popular skills and popular interests with their counts.
SKILLS_INDEX_MAX_QUERIES = 6


def _skills_of(profile) -> list[str]:
    return sorted(ProfileSkill.objects.filter(content_object=profile).values_list("tag__name", flat=True))


def _names_on(response) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong><br><span class=\"muted\">", response.content.decode())


@pytest.fixture
def author_client(client, author):
    return client_for(client, author)


# --- Listing one's skills -------------------------------------------------------------------


def test_person_lists_skills_separated_by_commas(author_client, author):
    response = author_client.post("/skills/mine/", {"skills": "Python, Contract law,  Public   speaking"})

    assert response.status_code == 302
    assert response["Location"] == f"/people/{author.pk}/"
    assert _skills_of(author) == ["Contract law", "Public speaking", "Python"]
    page = author_client.get(response["Location"]).content.decode()
    assert "Skills saved." in page
    assert ">Contract law</a>" in page


def test_skill_typed_in_another_case_joins_the_existing_one(author_client, author, colleague):
    profile_skills_set(profile=colleague, names=["Python"])
    python = Skill.objects.get(name="Python")

    author_client.post("/skills/mine/", {"skills": "python, PYTHON"})

    assert list(Skill.objects.values_list("name", flat=True)) == ["Python"]
    assert ProfileSkill.objects.get(content_object=author).tag == python


def test_saving_a_shorter_list_removes_the_skills_left_out(author_client, author):
    profile_skills_set(profile=author, names=["Python", "Go", "Rust"])

    author_client.post("/skills/mine/", {"skills": "Go"})

    assert _skills_of(author) == ["Go"]


def test_saving_an_empty_list_clears_the_skills(author_client, author):
    profile_skills_set(profile=author, names=["Python"])

    response = author_client.post("/skills/mine/", {"skills": ""})

    assert response.status_code == 302
    assert _skills_of(author) == []


def test_edit_form_shows_current_skills_quoting_names_with_commas(author_client, author):
    profile_skills_set(profile=author, names=["Python", "Research, design"])

    page = author_client.get("/skills/mine/").content.decode()

    assert 'value="Python, &quot;Research, design&quot;"' in page


def test_skill_name_that_is_too_long_is_refused_and_nothing_is_saved(author_client, author):
    profile_skills_set(profile=author, names=["Python"])

    response = author_client.post("/skills/mine/", {"skills": "Go, " + "x" * 51})

    assert response.status_code == 200
    assert "is too long: a skill is at most 50 characters." in response.content.decode()
    assert _skills_of(author) == ["Python"]
    assert not Skill.objects.filter(name="Go").exists()


def test_more_skills_than_allowed_are_refused_and_nothing_is_saved(author_client, author):
    names = ", ".join(f"Skill {n}" for n in range(MAX_SKILLS + 1))

    response = author_client.post("/skills/mine/", {"skills": names})

    assert response.status_code == 200
    assert f"List at most {MAX_SKILLS} skills." in response.content.decode()
    assert not Skill.objects.exists()


@pytest.mark.parametrize("name", ["Français", "日本語", "C++", "++", "Mine"])
def test_any_skill_name_gets_a_page_that_opens(author_client, author, name):
    author_client.post("/skills/mine/", {"skills": name})
    skill = Skill.objects.get(name=name)

    # The profile page and the index link to the skill; following the link finds the person.
    assert author_client.get(f"/people/{author.pk}/").status_code == 200
    assert author_client.get("/skills/").status_code == 200
    page = author_client.get(skill.get_absolute_url())
    assert page.status_code == 200
    assert _names_on(page) == ["Ada Author"]


# --- Finding people -------------------------------------------------------------------------


def test_skill_page_lists_the_people_who_have_it(author_client, author, colleague, outsider):
    profile_skills_set(profile=author, names=["Python"])
    profile_skills_set(profile=colleague, names=["Python", "Go"])
    profile_skills_set(profile=outsider, names=["Go"])

    response = author_client.get("/skills/python/")

    assert response.status_code == 200
    assert _names_on(response) == ["Ada Author", "Colin Colleague"]


def test_people_who_left_are_not_listed_at_once_and_not_counted_after_the_hourly_recount(
    author_client, author, colleague
):
    from expertise.services import people_counts_recount

    profile_skills_set(profile=author, names=["Python"])
    profile_skills_set(profile=colleague, names=["Python"])
    colleague.user.is_active = False
    colleague.user.save()

    assert _names_on(author_client.get("/skills/python/")) == ["Ada Author"]
    people_counts_recount()  # the hourly job: deactivation happens in profiles, below expertise
    assert ">Python (1)</a>" in author_client.get("/skills/").content.decode()


def test_skills_index_lists_most_listed_first_with_counts(author_client, author, colleague, outsider):
    profile_skills_set(profile=author, names=["Python", "Go"])
    profile_skills_set(profile=colleague, names=["Python"])
    profile_skills_set(profile=outsider, names=["Python", "Excel"])

    page = author_client.get("/skills/").content.decode()

    assert re.findall(r">([^<>]+) \((\d+)\)</a>", page) == [("Python", "3"), ("Excel", "1"), ("Go", "1")]


def test_skill_nobody_lists_is_not_found(author_client):
    assert author_client.get("/skills/cobol/").status_code == 404


def test_skill_page_pages_through_everyone_with_the_skill(author_client, author):
    people = [ProfileFactory(display_name=f"Dev {n:02d}") for n in range(35)]
    for person in people:
        profile_skills_set(profile=person, names=["Python"])

    first = author_client.get("/skills/python/")
    link = re.search(r'href="(\?cursor=[^"]+)"', first.content.decode()).group(1)
    second = author_client.get("/skills/python/" + link)

    assert _names_on(first) + _names_on(second) == [p.display_name for p in people]


@pytest.mark.parametrize("cursor", ["garbage", "WyJBZGEiLCAieCJd"])  # ["Ada", "x"]: id is not a number
def test_edited_skill_page_link_is_a_bad_request(author_client, author, cursor):
    profile_skills_set(profile=author, names=["Python"])

    assert author_client.get(f"/skills/python/?cursor={cursor}").status_code == 400


@pytest.mark.parametrize("people", [2, 60])
def test_skill_pages_query_count_does_not_grow_with_people(
    author_client, author, django_assert_max_num_queries, people
):
    for n in range(people):
        person = ProfileFactory(department=DepartmentFactory(name=f"Team {n % 5}"))
        profile_skills_set(profile=person, names=["Python", f"Skill {n}"])
    author_client.get("/skills/")  # the day's first request also records the viewer as active

    with django_assert_max_num_queries(SKILL_PAGE_MAX_QUERIES):
        assert author_client.get("/skills/python/").status_code == 200
    with django_assert_max_num_queries(SKILLS_INDEX_MAX_QUERIES):
        assert author_client.get("/skills/").status_code == 200
