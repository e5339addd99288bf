"""Every change to projects: create, edit, join, leave, members and roles, updates.

Each service runs in one transaction and locks the project row before touching its memberships,
so member_count, updated_at and the "a project keeps a lead" rule stay right under concurrency.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common import sentence_embeddings
from common.outbox import enqueue_on_commit
from expertise.services import skill_names_parse, skills_get_or_create
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Department, Profile
from projects.models import Project, ProjectEmbedding, ProjectMember, ProjectUpdate
from projects.similarity import embedding_text

Role = ProjectMember.Role
MAX_UPDATE_LENGTH = 5000
MAX_NAME_LENGTH = 200
MAX_SUMMARY_LENGTH = 3000


def project_can_edit(*, project: Project, profile: Profile) -> bool:
    """Creator, leads and superusers edit a project."""
    if profile.user.is_superuser or project.created_by_id == profile.pk:
        return True
    return ProjectMember.objects.filter(project=project, profile=profile, role=Role.LEAD).exists()


def _clean_fields(
    *, name: str, summary: str, status: str, start_date: date | None, end_date: date | None, tags: str | list
) -> tuple[str, str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    summary = (summary or "").strip()
    if not name:
        errors["name"] = ["Give the project a name."]
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = [f"A name is at most {MAX_NAME_LENGTH} characters."]
    if not summary:
        errors["summary"] = ["Say in a sentence or two what the project does."]
    elif len(summary) > MAX_SUMMARY_LENGTH:
        errors["summary"] = [f"A summary is at most {MAX_SUMMARY_LENGTH} characters."]
    if status not in Project.Status.values:
        errors["status"] = ["Choose a status from the list."]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = ["The end date is before the start date."]
    tag_names: list[str] = []
    try:
        tag_names = skill_names_parse(tags) if isinstance(tags, str) else list(tags)
    except ValidationError as exc:
        errors["tags"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return name, summary, tag_names


@transaction.atomic
def project_create(
    *,
    creator: Profile,
    name: str,
    summary: str,
    status: str = Project.Status.ACTIVE,
    start_date: date | None = None,
    end_date: date | None = None,
    tags: str | list[str] = "",
    department: Department | None = None,
    members: list[tuple[Profile, str]] | None = None,
) -> Project:
    """Creates the project with its creator as Lead and the initial members with their roles."""
    name, summary, tag_names = _clean_fields(
        name=name, summary=summary, status=status, start_date=start_date, end_date=end_date, tags=tags
    )
    roles: dict[int, tuple[Profile, str]] = {}
    for profile, role in members or []:
        if role not in Role.values:
            raise ValidationError({"members": [f"“{role}” is not a project role."]})
        if not profile.user.is_active:
            raise ValidationError({"members": [f"{profile.display_name} no longer works here."]})
        roles[profile.pk] = (profile, role)
    roles[creator.pk] = (creator, Role.LEAD)  # the creator leads, whatever the list said
    now = timezone.now()
    project = Project.objects.create(
        name=name,
        summary=summary,
        status=status,
        start_date=start_date,
        end_date=end_date,
        department=department,
        created_by=creator,
        created_at=now,
        updated_at=now,
        member_count=len(roles),
    )
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, profile=p, role=r, joined_at=now) for p, r in roles.values()]
    )
    if tag_names:
        project.tags.set(skills_get_or_create(names=tag_names))
    _embed_after_commit(project.pk)
    return project


@transaction.atomic
def project_edit(
    *,
    project: Project,
    editor: Profile,
    name: str,
    summary: str,
    status: str,
    start_date: date | None,
    end_date: date | None,
    tags: str | list[str],
    department: Department | None,
) -> Project:
    """Saves the edit form; only the creator, leads or a superuser."""
    if not project_can_edit(project=project, profile=editor):
        raise PermissionDenied("Only the project's creator and leads can edit it.")
    name, summary, tag_names = _clean_fields(
        name=name, summary=summary, status=status, start_date=start_date, end_date=end_date, tags=tags
    )
    project = Project.objects.select_for_update().get(pk=project.pk)
    text_changed = (project.name, project.summary) != (name, summary)
    project.name, project.summary, project.status = name, summary, status
    project.start_date, project.end_date, project.department = start_date, end_date, department
    project.updated_at = timezone.now()
    project.save()
    project.tags.set(skills_get_or_create(names=tag_names))
    if text_changed:  # a new status or date leaves the sentence vector as it is
        _embed_after_commit(project.pk)
    return project


def _embed_after_commit(project_id: int) -> None:
    from projects.tasks import project_embed

    enqueue_on_commit(project_embed, project_id)


def project_embeddings_compute(*, project_ids: list[int]) -> int:
    """Stores the sentence vector of each project's name and summary (replacing an older one);
    returns how many. Does nothing without a sentence model (settings.HIVE_SEMANTIC_MODEL)."""
    model = sentence_embeddings.encoder()
    if model is None or not project_ids:
        return 0
    rows = list(Project.objects.filter(pk__in=project_ids).values_list("pk", "name", "summary"))
    if not rows:
        return 0
    vectors = model.encode([embedding_text(name, summary) for _, name, summary in rows])
    now = timezone.now()
    ProjectEmbedding.objects.bulk_create(
        [
            ProjectEmbedding(
                project_id=pk,
                model=model.name,
                vector=sentence_embeddings.vector_to_bytes(v),
                computed_at=now,
            )
            for (pk, _, _), v in zip(rows, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["model", "vector", "computed_at"],
    )
    return len(rows)


def project_embeddings_backfill(*, limit: int = 5000, batch_size: int = 256) -> int:
    """Computes the vectors that are missing or were made by another model, up to `limit` projects
    (oldest first); returns how many. Hourly, and after bulk loads (demo, bench): projects that
    came in without a service, a task that failed, a model that changed."""
    model = sentence_embeddings.encoder()
    if model is None:
        return 0
    ids = list(
        Project.objects.exclude(embedding__model=model.name)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(
        project_embeddings_compute(project_ids=ids[start : start + batch_size])
        for start in range(0, len(ids), batch_size)
    )


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _touch(project: Project, *, members_delta: int = 0) -> None:
    Project.objects.filter(pk=project.pk).update(
        member_count=F("member_count") + members_delta, updated_at=timezone.now()
    )
    project.refresh_from_db(fields=["member_count", "updated_at"])


@transaction.atomic
def project_join(*, project: Project, profile: Profile, role: str = Role.MEMBER) -> ProjectMember:
    """Adds `profile` to the project; joining twice is an error, not a second row."""
    if not profile.user.is_active:
        raise ValidationError("Deactivated people can't join projects.")
    locked = _lock(project)
    if ProjectMember.objects.filter(project=locked, profile=profile).exists():
        raise ValidationError("You're already on this project.")
    try:
        with transaction.atomic():
            member = ProjectMember.objects.create(project=locked, profile=profile, role=role)
    except IntegrityError as exc:  # pragma: no cover - the row lock makes this unreachable
        raise ValidationError("You're already on this project.") from exc
    _touch(project, members_delta=1)
    return member


def _other_leads(project: Project, profile: Profile) -> bool:
    return ProjectMember.objects.filter(project=project, role=Role.LEAD).exclude(profile=profile).exists()


@transaction.atomic
def project_leave(*, project: Project, profile: Profile) -> None:
    """Removes `profile`; the last lead must hand over to someone first."""
    locked = _lock(project)
    member = ProjectMember.objects.filter(project=locked, profile=profile).first()
    if member is None:
        raise ValidationError("You're not on this project.")
    if member.role == Role.LEAD and not _other_leads(locked, profile):
        raise ValidationError("You're the project's only lead: make another member a lead before you leave.")
    member.delete()
    _touch(project, members_delta=-1)


def project_can_manage_members(*, project: Project, profile: Profile) -> bool:
    """Leads and superusers add and remove members and change roles."""
    if profile.user.is_superuser:
        return True
    return ProjectMember.objects.filter(project=project, profile=profile, role=Role.LEAD).exists()


def _require_manager(project: Project, actor: Profile, message: str) -> None:
    # Checked on the locked project, so a lead demoted a moment ago can no longer act.
    if not project_can_manage_members(project=project, profile=actor):
        raise PermissionDenied(message)


@transaction.atomic
def project_member_add(
    *, project: Project, actor: Profile, profile: Profile, role: str = Role.MEMBER
) -> ProjectMember:
    """A lead (or a superuser) adds a colleague with a role; they are told in the app."""
    if role not in Role.values:
        raise ValidationError(f"“{role}” is not a project role.")
    locked = _lock(project)
    _require_manager(locked, actor, "Only the project's leads can add members.")
    if not profile.user.is_active:
        raise ValidationError(f"{profile.display_name} no longer works here, so they can't be added.")
    if ProjectMember.objects.filter(project=locked, profile=profile).exists():
        raise ValidationError(f"{profile.display_name} is already on this project.")
    member = ProjectMember.objects.create(project=locked, profile=profile, role=role)
    _touch(project, members_delta=1)
    notify(
        recipients=[profile],
        kind=Kind.PROJECT,
        actor=actor,
        summary=f"{actor.display_name} added you to {locked.name} as {member.get_role_display().lower()}",
        url=locked.get_absolute_url(),
    )
    return member


@transaction.atomic
def project_member_remove(*, project: Project, actor: Profile, profile: Profile) -> None:
    """A lead (or a superuser) takes someone off the project; the last lead stays."""
    locked = _lock(project)
    _require_manager(locked, actor, "Only the project's leads can remove members.")
    member = ProjectMember.objects.filter(project=locked, profile=profile).first()
    if member is None:
        raise ValidationError(f"{profile.display_name} is not on this project.")
    if member.role == Role.LEAD and not _other_leads(locked, profile):
        raise ValidationError(
            f"{profile.display_name} is the project's only lead: make someone else a lead first."
        )
    member.delete()
    _touch(project, members_delta=-1)


@transaction.atomic
def project_member_role_set(
    *, project: Project, actor: Profile, profile: Profile, role: str
) -> ProjectMember:
    """A lead (or a superuser) changes a member's role."""
    if role not in Role.values:
        raise ValidationError(f"“{role}” is not a project role.")
    locked = _lock(project)
    _require_manager(locked, actor, "Only the project's leads can change roles.")
    member = ProjectMember.objects.filter(project=locked, profile=profile).first()
    if member is None:
        raise ValidationError(f"{profile.display_name} is not on this project.")
    if member.role == Role.LEAD and role != Role.LEAD and not _other_leads(locked, profile):
        raise ValidationError("A project needs a lead: make someone else a lead first.")
    if member.role != role:
        member.role = role
        member.save(update_fields=["role"])
        _touch(project)
    return member


@transaction.atomic
def project_update_create(*, project: Project, author: Profile, body: str) -> ProjectUpdate:
    """A member posts news on the project; it moves the project up the recent list."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something before posting the update.")
    if len(body) > MAX_UPDATE_LENGTH:
        raise ValidationError(
            f"An update is at most {MAX_UPDATE_LENGTH} characters (this one is {len(body)})."
        )
    locked = _lock(project)
    if not ProjectMember.objects.filter(project=locked, profile=author).exists():
        raise PermissionDenied("Only the project's members can post updates.")
    now = timezone.now()
    update = ProjectUpdate.objects.create(project=locked, author=author, body=body, created_at=now)
    Project.objects.filter(pk=project.pk).update(updated_at=now)
    return update
