import pytest
from django.urls import reverse

from projects import services
from projects.models import Project, ProjectMember, ProjectUpdate
from tests.factories import DepartmentFactory, ProfileFactory
from tests.helpers import client_for, make_project

pytestmark = pytest.mark.django_db


def _form(**over):
    data = {
        "name": "Payroll consolidation",
        "summary": "One payroll system for every country instead of seven.",
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "tags": "Payroll, SAP",
        "department": "",
        "leads": "",
        "members": "",
        "advisors": "",
    }
    data.update(over)
    return data


def test_create_page_makes_project_with_members(author_client, author, colleague, outsider):
    response = author_client.post(
        reverse("projects:create"),
        _form(members="colin@example.com", advisors="OLGA@example.com"),
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    roles = dict(project.memberships.values_list("profile_id", "role"))
    assert roles == {author.pk: "lead", colleague.pk: "member", outsider.pk: "advisor"}
    assert project.member_count == 3


def test_create_with_end_before_start_shows_error_and_saves_nothing(author_client):
    response = author_client.post(
        reverse("projects:create"), _form(start_date="2026-05-01", end_date="2026-04-01")
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Project.objects.exists()


def test_create_with_empty_name_shows_error(author_client):
    response = author_client.post(reverse("projects:create"), _form(name=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Project.objects.exists()


def test_create_with_unknown_member_email_saves_nothing(author_client):
    response = author_client.post(reverse("projects:create"), _form(members="ghost@example.com"))
    assert "Nobody here has the address ghost@example.com." in response.content.decode()
    assert not Project.objects.exists()
    assert not ProjectMember.objects.exists()


def test_failed_create_shows_look_alike_projects(author_client, colleague):
    existing = make_project(
        colleague,
        name="Kubernetes migration",
        summary="Move every service from the old virtual machines to the Kubernetes clusters.",
        tags="Kubernetes",
    )
    response = author_client.post(
        reverse("projects:create"),
        _form(
            name="Migrate services to Kubernetes",
            summary="Moving our services onto k8s clusters.",
            end_date="1999-01-01",
        ),
    )
    body = response.content.decode()
    assert "This may already exist" in body
    assert reverse("projects:join", args=[existing.pk]) in body


def test_similar_endpoint_returns_duplicate_not_unrelated(author_client, colleague):
    duplicate = make_project(
        colleague,
        name="Kubernetes migration",
        summary="Move every service from the old virtual machines to the Kubernetes clusters.",
        tags="Kubernetes",
    )
    unrelated = make_project(
        colleague,
        name="Office plant care rota",
        summary="Who waters the plants on the third floor while people are on holiday.",
        tags="Workplace",
    )
    response = author_client.get(
        reverse("projects:similar"),
        {
            "name": "Migrating our apps to K8s",
            "summary": "Move the services off virtual machines onto Kubernetes.",
            "tags": "kubernetes",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert duplicate.name in body and "Join instead" in body
    assert unrelated.name not in body


def test_similar_endpoint_shows_nothing_for_unrelated_draft(author_client, project):
    response = author_client.get(
        reverse("projects:similar"), {"name": "Summer party", "summary": "Food and music in July", "tags": ""}
    )
    assert project.name not in response.content.decode()


def test_only_creator_and_leads_edit(client, project, author, colleague):
    services.project_join(project=project, profile=colleague)
    url = reverse("projects:edit", args=[project.pk])
    assert client_for(client, colleague).get(url).status_code == 403
    response = client.post(url, _form(name="Hijacked"))
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "Kubernetes migration"


def test_lead_edits_project(client, project, author, colleague):
    services.project_join(project=project, profile=colleague)
    services.project_member_role_set(project=project, actor=author, profile=colleague, role="lead")
    response = client_for(client, colleague).post(
        reverse("projects:edit", args=[project.pk]), _form(name="Kubernetes migration, phase 2")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Kubernetes migration, phase 2"
    assert sorted(t.name for t in project.tags.all()) == ["Payroll", "SAP"]


def test_join_and_leave_buttons(client, project, colleague):
    c = client_for(client, colleague)
    c.post(reverse("projects:join", args=[project.pk]))
    project.refresh_from_db()
    assert project.member_count == 2
    assert "Leave" in c.get(project.get_absolute_url()).content.decode()
    c.post(reverse("projects:leave", args=[project.pk]))
    project.refresh_from_db()
    assert project.member_count == 1


def test_last_lead_leaving_sees_clear_error(author_client, project):
    response = author_client.post(reverse("projects:leave", args=[project.pk]), follow=True)
    assert "make another member a lead before you leave" in response.content.decode()
    project.refresh_from_db()
    assert project.member_count == 1


def test_non_member_cannot_post_update(client, project, outsider):
    response = client_for(client, outsider).post(
        reverse("projects:update_create", args=[project.pk]), {"body": "hi"}
    )
    assert response.status_code == 403
    assert not ProjectUpdate.objects.exists()


def test_member_posts_update_and_empty_one_is_an_error(author_client, project):
    url = reverse("projects:update_create", args=[project.pk])
    assert author_client.post(url, {"body": "   "}).status_code == 400
    assert not ProjectUpdate.objects.exists()
    author_client.post(url, {"body": "**Cluster one** is live"})
    body = author_client.get(project.get_absolute_url()).content.decode()
    assert "<strong>Cluster one</strong> is live" in body


def test_summary_markdown_is_sanitised(author_client, author):
    p = make_project(author, summary="Hi <script>alert(1)</script> **bold**")
    body = author_client.get(p.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body and "<strong>bold</strong>" in body


def test_only_leads_change_roles_through_the_page(client, project, colleague, outsider):
    services.project_join(project=project, profile=colleague)
    services.project_join(project=project, profile=outsider)
    client_for(client, colleague).post(
        reverse("projects:member_role", args=[project.pk, outsider.pk]), {"role": "lead"}
    )
    assert project.memberships.get(profile=outsider).role == "member"


def test_index_filters_by_status_department_and_tag(author_client, author):
    finance = DepartmentFactory(name="Finance")
    a = make_project(author, name="Alpha thing", tags="Payroll", department=finance)
    b = make_project(author, name="Beta thing", tags="Kubernetes", status="done")
    index = reverse("projects:index")
    assert "Alpha thing" in author_client.get(index, {"tag": "payroll"}).content.decode()
    assert "Beta thing" not in author_client.get(index, {"tag": "payroll"}).content.decode()
    assert "Beta thing" in author_client.get(index, {"status": "done"}).content.decode()
    assert "Alpha thing" not in author_client.get(index, {"status": "done"}).content.decode()
    assert "Alpha thing" in author_client.get(index, {"department": finance.pk}).content.decode()
    assert "Beta thing" not in author_client.get(index, {"department": finance.pk}).content.decode()
    assert a.pk != b.pk


def test_index_cursor_pages_through_everything(author_client, author):
    for i in range(25):
        make_project(author, name=f"Numbered {i:02d}")
    first = author_client.get(reverse("projects:index"))
    page = first.context["page"]
    assert len(page.items) == 20 and page.next_cursor
    second = author_client.get(reverse("projects:index"), {"cursor": page.next_cursor})
    names = [p.name for p in page.items] + [p.name for p in second.context["page"].items]
    assert sorted(names) == [f"Numbered {i:02d}" for i in range(25)]
    assert author_client.get(reverse("projects:index"), {"cursor": "garbage"}).status_code == 400


def _populate(author, n_projects, n_members):
    people = [ProfileFactory() for _ in range(n_members)]
    last = None
    for i in range(n_projects):
        last = make_project(author, tags="Kubernetes, Go, Cloud", members=[(p, "member") for p in people])
        for j in range(3):
            services.project_update_create(project=last, author=author, body=f"Update {i}-{j}")
    return last


@pytest.mark.parametrize("n_projects,n_members", [(2, 1), (25, 6)])
def test_index_query_count_is_fixed(
    author_client, author, django_assert_max_num_queries, n_projects, n_members
):
    _populate(author, n_projects, n_members)
    author_client.get(reverse("projects:index"))  # the day's first visit also records activity
    # session, user, profile, projects, their tags, departments, the viewer's groups
    with django_assert_max_num_queries(8):
        assert author_client.get(reverse("projects:index")).status_code == 200


@pytest.mark.parametrize("n_projects,n_members", [(1, 1), (1, 15)])
def test_detail_query_count_is_fixed(
    author_client, author, django_assert_max_num_queries, n_projects, n_members
):
    project = _populate(author, n_projects, n_members)
    for j in range(12):
        services.project_update_create(project=project, author=author, body=f"More {j}")
    author_client.get(project.get_absolute_url())  # the day's first visit also records activity
    # session, user, project, its tags, profile, members, updates, the viewer's groups
    with django_assert_max_num_queries(9):
        assert author_client.get(project.get_absolute_url()).status_code == 200


def test_profile_projects_tag_lists_roles_and_status(author, colleague, project):
    from django.template import Context, Template

    services.project_join(project=project, profile=colleague)
    html = Template("{% load projects_tags %}{% profile_projects profile %}").render(
        Context({"profile": colleague})
    )
    assert "Kubernetes migration" in html and "Member" in html and "Active" in html


@pytest.mark.sentence_model
def test_a_draft_in_other_words_finds_the_project_only_with_the_sentence_model(
    author_client, colleague, settings
):
    from projects.services import project_embeddings_backfill

    onboarding = make_project(
        colleague,
        name="Employee onboarding portal",
        summary="A single site where new joiners find their first-week checklist, laptop pickup, accounts "
        "and buddy.",
    )
    for name, summary in [
        ("Exit interviews", "Ask everyone who leaves why, and report the themes to HR every quarter."),
        ("Payroll consolidation", "One payroll provider for every country instead of twelve."),
        ("Holiday calendar", "Public holidays of every office in one shared calendar."),
    ]:
        make_project(colleague, name=name, summary=summary)
    project_embeddings_backfill()
    draft = {
        "name": "New starter welcome hub",
        "summary": "One place for newcomers to see what to do in their first days: equipment, accounts, "
        "who their buddy is and mandatory training.",
        "tags": "",
    }

    assert onboarding.name in author_client.get(reverse("projects:similar"), draft).content.decode()
    settings.HIVE_SEMANTIC_MODEL = "off"
    # Words alone find it at most as related (it shares "accounts" and "buddy"), not as the same work.
    html = author_client.get(reverse("projects:similar"), draft).content.decode()
    assert 'data-tier="same"' not in html


@pytest.mark.sentence_model  # the budget holds with the vectors' query too
def test_the_look_alike_search_runs_the_same_queries_for_3_or_33_projects(author_client, colleague):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.services import project_embeddings_backfill

    draft = {"name": "Payroll for every country", "summary": "One payroll provider.", "tags": "Payroll"}

    def queries() -> int:
        project_embeddings_backfill()
        with CaptureQueriesContext(connection) as ctx:
            assert author_client.get(reverse("projects:similar"), draft).status_code == 200
        return len(ctx)

    author_client.get(reverse("projects:similar"), draft)  # the day's first visit is recorded once
    for i in range(3):
        make_project(colleague, name=f"Payroll country {i}", summary="Payroll in a country.", tags="Payroll")
    few = queries()
    for i in range(30):
        make_project(colleague, name=f"Payroll region {i}", summary="Payroll for a region.", tags="Payroll")
    # 12, plus the vector index asking whether anything changed. The candidates' cosines come from
    # the index, not from their stored vectors; whole rows are read for the projects considered.
    assert queries() == few <= 13
