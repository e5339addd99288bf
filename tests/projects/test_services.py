import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from expertise.models import Skill
from projects import services
from projects.models import Project, ProjectMember, ProjectUpdate
from tests.factories import ProfileFactory
from tests.helpers import make_project

pytestmark = pytest.mark.django_db
Role = ProjectMember.Role


def test_creator_becomes_lead_and_initial_members_keep_their_roles(author, colleague, outsider):
    project = make_project(author, members=[(colleague, Role.MEMBER), (outsider, Role.ADVISOR)])
    roles = dict(ProjectMember.objects.filter(project=project).values_list("profile_id", "role"))
    assert roles == {author.pk: Role.LEAD, colleague.pk: Role.MEMBER, outsider.pk: Role.ADVISOR}
    assert project.member_count == 3


def test_creator_listed_as_member_is_still_lead(author):
    project = make_project(author, members=[(author, Role.MEMBER)])
    assert ProjectMember.objects.get(project=project, profile=author).role == Role.LEAD
    assert project.member_count == 1


def test_tags_reuse_skills_case_insensitively(author):
    Skill.objects.create(name="Kubernetes", slug="kubernetes")
    project = make_project(author, tags="kubernetes, Cost reporting")
    assert sorted(t.name for t in project.tags.all()) == ["Cost reporting", "Kubernetes"]
    assert Skill.objects.filter(name__iexact="kubernetes").count() == 1


def test_end_before_start_is_refused_and_nothing_saved(author):
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            creator=author,
            name="Payroll revamp",
            summary="New payroll.",
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
            tags="Payroll",
        )
    assert "end_date" in exc.value.message_dict
    assert not Project.objects.exists()
    assert not ProjectMember.objects.exists()
    assert not Skill.objects.exists()


def test_empty_name_is_refused(author):
    with pytest.raises(ValidationError) as exc:
        services.project_create(creator=author, name="   ", summary="Something")
    assert "name" in exc.value.message_dict
    assert not Project.objects.exists()


def test_deactivated_initial_member_is_refused_and_nothing_saved(author, colleague):
    colleague.user.is_active = False
    colleague.user.save()
    with pytest.raises(ValidationError):
        make_project(author, members=[(colleague, Role.MEMBER)])
    assert not Project.objects.exists()


def test_join_and_leave_keep_member_count_exact(project, colleague, outsider):
    services.project_join(project=project, profile=colleague)
    services.project_join(project=project, profile=outsider)
    project.refresh_from_db()
    assert project.member_count == 3 == project.memberships.count()
    services.project_leave(project=project, profile=outsider)
    project.refresh_from_db()
    assert project.member_count == 2 == project.memberships.count()


def test_joining_twice_is_an_error_and_counts_once(project, colleague):
    services.project_join(project=project, profile=colleague)
    with pytest.raises(ValidationError):
        services.project_join(project=project, profile=colleague)
    project.refresh_from_db()
    assert project.member_count == 2


def test_join_moves_project_up_the_recent_list(project, colleague):
    before = project.updated_at
    services.project_join(project=project, profile=colleague)
    project.refresh_from_db()
    assert project.updated_at > before


def test_last_lead_cannot_leave(project, author, colleague):
    services.project_join(project=project, profile=colleague)
    with pytest.raises(ValidationError, match="only lead"):
        services.project_leave(project=project, profile=author)
    assert project.memberships.filter(profile=author, role=Role.LEAD).exists()


def test_lead_can_leave_after_handing_over(project, author, colleague):
    services.project_join(project=project, profile=colleague)
    services.project_member_role_set(project=project, actor=author, profile=colleague, role=Role.LEAD)
    services.project_leave(project=project, profile=author)
    project.refresh_from_db()
    assert project.member_count == 1
    assert list(project.memberships.values_list("profile_id", "role")) == [(colleague.pk, Role.LEAD)]


def test_last_lead_cannot_demote_themselves(project, author):
    with pytest.raises(ValidationError, match="needs a lead"):
        services.project_member_role_set(project=project, actor=author, profile=author, role=Role.MEMBER)


def test_only_leads_change_roles(project, colleague, outsider):
    services.project_join(project=project, profile=colleague)
    services.project_join(project=project, profile=outsider)
    with pytest.raises(PermissionDenied):
        services.project_member_role_set(project=project, actor=colleague, profile=outsider, role=Role.LEAD)
    assert project.memberships.get(profile=outsider).role == Role.MEMBER


def test_leaving_a_project_you_are_not_on_is_an_error(project, outsider):
    with pytest.raises(ValidationError):
        services.project_leave(project=project, profile=outsider)
    project.refresh_from_db()
    assert project.member_count == 1


def test_only_members_post_updates(project, outsider):
    with pytest.raises(PermissionDenied):
        services.project_update_create(project=project, author=outsider, body="Hello")
    assert not ProjectUpdate.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_empty_or_oversized_update_is_refused(project, author, body):
    with pytest.raises(ValidationError):
        services.project_update_create(project=project, author=author, body=body)
    assert not ProjectUpdate.objects.exists()


def test_update_moves_project_up(project, author):
    before = project.updated_at
    update = services.project_update_create(project=project, author=author, body="Cluster two is live.")
    project.refresh_from_db()
    assert project.updated_at == update.created_at > before


def test_only_creator_leads_and_superusers_edit(project, author, colleague, outsider):
    services.project_join(project=project, profile=colleague)
    admin = ProfileFactory(user__is_superuser=True)
    assert services.project_can_edit(project=project, profile=author)
    assert services.project_can_edit(project=project, profile=admin)
    assert not services.project_can_edit(project=project, profile=colleague)
    assert not services.project_can_edit(project=project, profile=outsider)
    with pytest.raises(PermissionDenied):
        services.project_edit(
            project=project, editor=colleague, name="Hijack", summary="x", status="active",
            start_date=None, end_date=None, tags="", department=None,
        )  # fmt: skip
    project.refresh_from_db()
    assert project.name == "Kubernetes migration"


def test_edit_with_bad_dates_saves_nothing(project, author):
    with pytest.raises(ValidationError):
        services.project_edit(
            project=project, editor=author, name="Renamed", summary="x", status="active",
            start_date=datetime.date(2026, 2, 2), end_date=datetime.date(2026, 1, 1), tags="Go",
            department=None,
        )  # fmt: skip
    project.refresh_from_db()
    assert project.name == "Kubernetes migration"
    assert sorted(t.name for t in project.tags.all()) == ["Cloud", "Kubernetes"]


# --- Sentence vectors for the look-alike search ------------------------------------------------


@pytest.mark.sentence_model
def test_a_new_or_edited_project_gets_its_sentence_vector_after_commit(
    author, celery_eager, django_capture_on_commit_callbacks
):
    from projects.models import ProjectEmbedding

    with django_capture_on_commit_callbacks(execute=True):
        project = make_project(author, name="Payroll consolidation", summary="One payroll for every country.")
    first = ProjectEmbedding.objects.get(project=project)
    assert first.model == "all-MiniLM-L6-v2" and len(first.vector) == 384 * 4

    with django_capture_on_commit_callbacks(execute=True):
        services.project_edit(
            project=project,
            editor=author,
            name="Office plant care",
            summary="Who waters the plants on the third floor.",
            status=project.status,
            start_date=None,
            end_date=None,
            tags="",
            department=None,
        )
    assert bytes(ProjectEmbedding.objects.get(project=project).vector) != bytes(first.vector)


@pytest.mark.sentence_model
def test_backfill_fills_missing_and_other_models_vectors_once(author):
    from projects.models import ProjectEmbedding

    projects = [make_project(author) for _ in range(3)]  # no commit here: no vectors yet
    assert not ProjectEmbedding.objects.exists()
    ProjectEmbedding.objects.create(project=projects[0], model="an-older-model", vector=b"\0" * 16)

    assert services.project_embeddings_backfill() == 3
    assert set(ProjectEmbedding.objects.values_list("model", flat=True)) == {"all-MiniLM-L6-v2"}
    assert services.project_embeddings_backfill() == 0


def test_without_a_sentence_model_nothing_is_computed(author, settings):
    from projects.models import ProjectEmbedding

    settings.HIVE_SEMANTIC_MODEL = "off"
    make_project(author)
    assert services.project_embeddings_backfill() == 0
    assert not ProjectEmbedding.objects.exists()


def test_an_edit_that_keeps_name_and_summary_does_not_recompute_the_vector(
    author, django_capture_on_commit_callbacks
):
    project = make_project(author, name="Payroll consolidation", summary="One payroll for every country.")
    with django_capture_on_commit_callbacks() as callbacks:
        services.project_edit(
            project=project,
            editor=author,
            name="Payroll consolidation",
            summary="One payroll for every country.",
            status=Project.Status.PAUSED,
            start_date=None,
            end_date=None,
            tags="",
            department=None,
        )
    assert callbacks == []
