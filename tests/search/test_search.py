"""One search box for people, skills and projects: typo-tolerant, ranked, private fields kept private."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from expertise.models import ProfileSkill
from feed import services as feed
from projects.models import Project
from search.backends import postgres
from search.selectors import PER_GROUP
from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory
from tests.helpers import project_insert, skill_give

pytestmark = pytest.mark.django_db

# Measured once the viewer's first request of the day has recorded them as active (analytics).
# Session, user, viewer profile, roles; search.backends.postgres.session() (savepoint, planner
# settings with the skills' trigram bar, release, and the settings put back since the test runs in
# a transaction of its own), skills with their people counts, the skill an admin's alias of that
# name means, people by name, projects, the viewer's groups with the private groups they are not in,
# wiki pages matched and (when any) the page's wiki pages with their snippets, finished events
# matched and shown, index scans allowed again, posts and comments matched and ranked, the page's
# posts and comments with their snippets; then people listing the skill meant; departments and
# offices (one query), groups, and #tags the viewer can see used; and the search counted by group (issue 11).
SEARCH_MAX_QUERIES = 26
# Session, user, viewer profile, roles, popular skills.
EMPTY_SEARCH_MAX_QUERIES = 5


def _section(page: str, group: str) -> str:
    match = re.search(rf'id="results-{group}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def _names(page: str, group: str) -> list[str]:
    return re.findall(r"<strong>([^<]+)</strong>", _section(page, group))


def _skills(page: str) -> list[str]:
    return re.findall(r'<a href="/skills/[^"]+">([^<]+)</a>', _section(page, "skills"))


def _search(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


# --- Typos --------------------------------------------------------------------------------


def test_misspelt_skill_finds_the_skill_and_the_people_who_list_it(viewer_client, author):
    skill_give(author, "Kubernetes", level=ProfileSkill.Level.EXPERT, endorsements=2)
    skill_give(ProfileFactory(display_name="Kai Osei"), "Kubernetes")
    skill_give(ProfileFactory(display_name="Pia Python"), "Python")

    page = _search(viewer_client, "kubernets")

    assert _skills(page) == ["Kubernetes"]
    assert "2 people" in _section(page, "skills")
    people = _names(page, "people")
    assert people[:2] == ["Ada Author", "Kai Osei"]  # the Expert first
    assert "Pia Python" not in people
    assert "Kubernetes · Expert · 2 endorsements" in page
    assert "Did you mean" in page and "?q=Kubernetes" in page


def test_transposed_letters_still_find_the_skill(viewer_client, author):
    skill_give(author, "Python")

    page = _search(viewer_client, "pyhton")

    assert _skills(page) == ["Python"]
    assert _names(page, "people") == ["Ada Author"]


def test_misspelt_name_finds_the_person(viewer_client):
    ProfileFactory(display_name="John Smith", job_title="Buyer")
    ProfileFactory(display_name="Maria Lopez")

    page = _search(viewer_client, "jon smth")

    assert _names(page, "people") == ["John Smith"]


def test_one_word_of_a_name_finds_the_person(viewer_client):
    ProfileFactory(display_name="Fatima Okonkwo-Adebayo")

    assert _names(_search(viewer_client, "okonkwo"), "people") == ["Fatima Okonkwo-Adebayo"]


def test_people_are_found_by_job_title_too(viewer_client):
    ProfileFactory(display_name="Rui Costa", job_title="Payroll specialist")

    assert "Rui Costa" in _names(_search(viewer_client, "payroll"), "people")


# --- Projects -----------------------------------------------------------------------------


def test_projects_are_found_by_name_with_a_typo_and_by_words_of_their_summary(viewer_client, author):
    project_insert(
        name="Invoice automation", summary="Stop typing supplier bills by hand.", created_by=author
    )
    project_insert(
        name="Project Falcon",
        summary="Move the warehouse scanners to a new supplier portal.",
        created_by=author,
        status=Project.Status.IDEA,
    )
    project_insert(name="Office move", summary="Boxes and desks.", created_by=author)

    by_name = _search(viewer_client, "invoce automation")
    by_summary = _search(viewer_client, "warehouse scanners")

    assert _names(by_name, "projects") == ["Invoice automation"]
    assert _names(by_summary, "projects") == ["Project Falcon"]
    assert "Idea" in _section(by_summary, "projects")
    assert "<mark>warehouse</mark> <mark>scanners</mark>" in by_summary


def test_misspelt_skill_also_finds_projects_whose_summary_names_it(viewer_client, author):
    skill_give(author, "Kubernetes")
    project_insert(
        name="Platform 2", summary="Everything moves onto Kubernetes this year.", created_by=author
    )

    assert _names(_search(viewer_client, "kubernets"), "projects") == ["Platform 2"]


def test_a_project_named_exactly_as_searched_comes_first_among_many_with_the_word(
    viewer_client, author, monkeypatch
):
    # Fewer name candidates than projects with the word, as with "migration" at 20,000 projects.
    monkeypatch.setattr(postgres, "NAME_CANDIDATES", 3)
    umbrella = project_insert(name="Migration", summary="The umbrella project.", created_by=author)
    Project.objects.filter(pk=umbrella.pk).update(updated_at=timezone.now() - timedelta(days=400))
    for system in ["ERP", "CRM", "HR system", "Data warehouse", "Payroll service", "Intranet"]:
        for quarter in ["Q1", "Q2"]:
            project_insert(name=f"{system} migration {quarter}", summary="Moving over.", created_by=author)

    projects = _names(_search(viewer_client, "migration"), "projects")

    assert projects[0] == "Migration"
    assert projects[1:3] == ["CRM migration Q2", "CRM migration Q1"]  # shortest, newest first


def test_a_project_with_the_word_in_its_name_ranks_above_one_that_only_mentions_it(viewer_client, author):
    project_insert(name="Sales dashboard", summary="Numbers for the sales team.", created_by=author)
    project_insert(name="Quarterly review", summary="Builds on the sales dashboard.", created_by=author)

    assert _names(_search(viewer_client, "dashboard"), "projects") == ["Sales dashboard", "Quarterly review"]


def test_a_misspelt_word_finds_projects_named_with_it(viewer_client, author):
    project_insert(name="Sales dashboard", summary="Numbers for the sales team.", created_by=author)
    project_insert(name="Office move", summary="Boxes and desks.", created_by=author)

    assert _names(_search(viewer_client, "dashbord"), "projects") == ["Sales dashboard"]


def test_project_summary_snippet_is_escaped(viewer_client, author):
    project_insert(name="Scripted", summary="<script>alert(1)</script> scripted release", created_by=author)

    page = _search(viewer_client, "scripted")

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


# --- Relevance ----------------------------------------------------------------------------


def test_exact_name_ranks_before_partial_matches(viewer_client):
    ProfileFactory(display_name="Annabel Leeds")
    ProfileFactory(display_name="Ann Leeson")
    ProfileFactory(display_name="Ann Lee")

    people = _names(_search(viewer_client, "ann lee"), "people")

    assert people[0] == "Ann Lee"
    assert set(people) == {"Ann Lee", "Ann Leeson", "Annabel Leeds"}


def test_a_name_match_comes_before_people_who_list_a_similar_skill(viewer_client):
    skill_give(ProfileFactory(display_name="Pat Expert"), "Go", level=ProfileSkill.Level.EXPERT)
    ProfileFactory(display_name="Go Eun Kim")

    people = _names(_search(viewer_client, "Go Eun Kim"), "people")

    assert people[0] == "Go Eun Kim"


def test_each_group_is_limited(viewer_client, author):
    for n in range(PER_GROUP + 3):
        ProfileFactory(display_name=f"Sam Sample {n}")

    assert len(_names(_search(viewer_client, "sam sample"), "people")) == PER_GROUP


# --- Who appears, and what is shown -------------------------------------------------------


def test_deactivated_people_never_appear(viewer_client):
    gone = ProfileFactory(display_name="Gus Gone", user__is_active=False)
    skill_give(gone, "Kubernetes", level=ProfileSkill.Level.EXPERT, endorsements=9)
    here = ProfileFactory(display_name="Gus Here")
    skill_give(here, "Kubernetes")

    by_name = _search(viewer_client, "gus gone")
    by_skill = _search(viewer_client, "kubernetes")

    assert "Gus Gone" not in by_name
    assert _names(by_skill, "people") == ["Gus Here"]
    assert "1 person" in _section(by_skill, "skills")


def test_results_show_no_private_fields(viewer_client):
    ProfileFactory(
        display_name="Priya Private",
        job_title="Analyst",
        phone="+351 912 345 678",
        bio="Secret bio text",
        user__email="priya.private@example.com",
        department=DepartmentFactory(name="Risk"),
        location=LocationFactory(name="Porto"),
    )

    page = _search(viewer_client, "priya")
    people = _section(page, "people")

    assert "Priya Private" in people and "Analyst" in people and "Risk" in people and "Porto" in people
    assert "912" not in page and "Secret bio" not in page and "priya.private@" not in page


def test_a_phone_number_finds_nobody(viewer_client):
    ProfileFactory(display_name="Priya Private", phone="+351 912 345 678")

    assert _names(_search(viewer_client, "912 345 678"), "people") == []


# --- Input --------------------------------------------------------------------------------


def test_too_long_query_says_so_and_searches_nothing(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(EMPTY_SEARCH_MAX_QUERIES - 1):
        response = viewer_client.get("/search/", {"q": "x" * 201})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Searches are limited to 200 characters (yours has 201)." in page
    assert 'id="results-people"' not in page


def test_query_of_exactly_200_characters_is_searched(viewer_client):
    assert viewer_client.get("/search/", {"q": "y" * 200}).status_code == 200


def test_empty_query_shows_where_to_start_with_popular_skills(viewer_client, author):
    skill_give(author, "Kubernetes")

    for q in ["", "   "]:
        page = _search(viewer_client, q)
        assert "Where to start" in page
        assert "Kubernetes (1)" in page
        assert 'href="/search/experts/"' in page


def test_query_of_symbols_only_finds_nothing_without_error(viewer_client):
    page = _search(viewer_client, "%_&|!:*()'")

    assert "Nothing matches" in page


def test_results_link_to_who_knows(viewer_client):
    page = _search(viewer_client, "kubernetes")

    assert 'href="/search/experts/?topic=kubernetes"' in page


def test_typing_in_the_box_returns_only_the_results(viewer_client):
    ProfileFactory(display_name="John Smith")

    response = viewer_client.get("/search/", {"q": "john"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert page.startswith('<div id="search-results"')
    assert "John Smith" in page


def test_search_box_partial_points_at_search(rf):
    from django.template.loader import render_to_string

    html = render_to_string("search/_search_box.html", {"query": "kube"})

    assert 'action="/search/"' in html and 'name="q"' in html and 'value="kube"' in html
    assert 'role="search"' in html and "aria-label=" in html


# --- Cost ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 40])
def test_search_query_count_does_not_grow_with_data(
    viewer_client, author, django_assert_max_num_queries, size
):
    for n in range(size):
        person = ProfileFactory(
            display_name=f"Kim Kubernetes {n}",
            department=DepartmentFactory(name=f"Team {n % 5}"),
            location=LocationFactory(name=f"Office {n % 4}"),
        )
        skill_give(person, "Kubernetes", endorsements=n)
        skill_give(person, f"Kubernetes tool {n}")
        project_insert(
            name=f"Kubernetes move {n}",
            summary="Kubernetes everywhere",
            created_by=person,
            tags=["Kubernetes"],
        )
        post = feed.post_create(author=person, body=f"Kubernetes upgrade notes {n}")
        feed.comment_create(post_id=post.pk, author=author, body=f"Kubernetes drain went fine {n}")

    with django_assert_max_num_queries(SEARCH_MAX_QUERIES):
        response = viewer_client.get("/search/", {"q": "kubernets"})

    assert response.status_code == 200
    assert "Kim Kubernetes" in response.content.decode()
    assert "upgrade notes" in response.content.decode()  # posts, found through "Kubernetes"


def test_empty_search_query_count(viewer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(EMPTY_SEARCH_MAX_QUERIES):
        assert viewer_client.get("/search/").status_code == 200


# --- Departments, offices, groups and #tags in the same box -----------------------------------


def test_a_department_or_office_leads_to_its_people(viewer_client):
    finance = DepartmentFactory(name="Finance")
    lisbon = LocationFactory(name="Porto Harbour")
    ProfileFactory(department=finance, location=lisbon)
    ProfileFactory(department=finance)

    page = _search(viewer_client, "finance")
    places = _section(page, "places")
    assert f'href="/people/?department={finance.pk}"' in places
    assert "Department · 2 people" in places

    offices = _section(_search(viewer_client, "porto harbour"), "places")
    assert f'href="/people/?location={lisbon.pk}"' in offices and "Office · 1 person" in offices


def test_groups_and_tags_named_like_the_query_are_listed(viewer_client, author):
    from communities import services as communities

    group = communities.community_create(
        creator=author, name="Release guild", category="work", visibility="public"
    )
    feed.post_create(author=author, body="Notes from the #release train")

    page = _search(viewer_client, "release")

    assert group.get_absolute_url() in _section(page, "groups")
    assert 'href="/tags/release/"' in _section(page, "tags")


def test_a_tag_used_only_in_a_private_group_is_not_named_to_outsiders(viewer_client, author):
    from communities import services as communities

    hidden = communities.community_create(creator=author, name="Board", category="work", visibility="private")
    feed.post_create(author=author, body="Agenda for #acquisitionzebra", community=hidden)

    page = _search(viewer_client, "acquisitionzebra")

    assert "acquisitionzebra" not in _section(page, "tags")
    assert "/tags/acquisitionzebra/" not in page


# --- "More" for each group of results ----------------------------------------------------------


def test_each_full_group_has_a_more_link_that_shows_more_of_it(viewer_client, author):
    from feed.models import Post

    for n in range(12):
        ProfileFactory(display_name=f"Quokka Keeper {n}")
    Post.objects.bulk_create(Post(author=author, body=f"Quokka census day {n}") for n in range(25))

    page = _search(viewer_client, "quokka")
    assert len(_names(page, "people")) == 10 and "more=people" in _section(page, "people")
    assert page.count('class="content-hit"') == 20 and "more=posts" in _section(page, "content")

    more_people = viewer_client.get("/search/", {"q": "quokka", "more": "people"}).content.decode()
    assert len(_names(more_people, "people")) == 12 and "more=people" not in more_people
    more_posts = viewer_client.get("/search/", {"q": "quokka", "more": "posts"}).content.decode()
    assert more_posts.count('class="content-hit"') == 25 and "more=posts" not in more_posts


def test_an_unknown_more_is_ignored_not_an_error(viewer_client):
    response = viewer_client.get("/search/", {"q": "anything", "more": "<script>"})
    assert response.status_code == 200 and "&lt;script&gt;" not in response.content.decode()
