from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import BAD_PAGE_LINK, action_run, bad_cursor_400, form_errors_add
from expertise.services import skill_names_parse
from profiles.models import Profile
from profiles.selectors import departments, profile_by_id, viewer_profile
from projects import selectors, services
from projects.forms import MemberAddForm, ProjectCreateForm, ProjectForm, RoleForm, UpdateForm
from projects.models import Project, ProjectMember


def _person_or_404(profile_id: int) -> Profile:
    person = profile_by_id(profile_id=profile_id)
    if person is None:
        raise Http404("No such person.")
    return person


def _project_row_or_404(project_id: int) -> Project:
    project = selectors.project_by_id(project_id=project_id)
    if project is None:
        raise Http404("No such project.")
    return project


def _project_or_404(project_id: int) -> Project:
    project = selectors.project_detail(project_id=project_id)
    if project is None:
        raise Http404("No such project.")
    return project


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw else None


@require_GET
def index(request):
    status = request.GET.get("status") or None
    if status not in (None, *Project.Status.values):
        status = None
    tag = request.GET.get("tag") or None
    try:
        department_id = _int_or_none(request.GET.get("department"))
        page = selectors.projects_page(
            cursor=request.GET.get("cursor"), status=status, department_id=department_id, tag_slug=tag
        )
    except ValueError:  # a filter Hive does not offer, or an edited cursor (a BadCursor is a ValueError)
        return HttpResponseBadRequest(BAD_PAGE_LINK)
    filters = {"status": status or "", "department": department_id or "", "tag": tag or ""}
    extra_query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "projects/index.html",
        {
            "page": page,
            "departments": departments(),
            "statuses": Project.Status.choices,
            "filters": filters,
            "extra_query": extra_query,
        },
    )


def _detail_context(request, project: Project, *, update_form: UpdateForm | None = None) -> dict:
    viewer = viewer_profile(request)
    members = selectors.project_members(project=project, viewer=viewer)
    updates = selectors.project_updates_page(project=project, cursor=request.GET.get("cursor"))
    membership = members.viewer_membership
    is_lead = membership is not None and membership.role == membership.Role.LEAD
    return {
        "project": project,
        "members": members,
        "updates": updates,
        "membership": membership,
        "can_edit": request.user.is_superuser or is_lead or project.created_by_id == viewer.pk,
        "can_manage_roles": is_lead or request.user.is_superuser,
        "roles": ProjectMember.Role.choices,
        "default_role": ProjectMember.Role.MEMBER,
        "update_form": update_form or UpdateForm(),
    }


@bad_cursor_400
@require_GET
def detail(request, project_id: int):
    project = _project_or_404(project_id)
    context = _detail_context(request, project)
    return render(request, "projects/detail.html", context)


@require_http_methods(["GET", "POST"])
def create(request):
    viewer = viewer_profile(request)
    form = ProjectCreateForm(request.POST or None, initial={"department": viewer.department_id})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.project_create(
                    creator=viewer,
                    name=data["name"],
                    summary=data["summary"],
                    status=data["status"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    tags=data["tags"],
                    department=data["department"],
                    members=data["initial_members"],
                )
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, "Project created.")
                return redirect(project)
    look_alikes = None
    if request.method == "POST":
        # The same look-alikes the form showed while typing: a last chance to join instead.
        look_alikes = selectors.project_look_alikes(
            name=request.POST.get("name", ""),
            summary=request.POST.get("summary", ""),
            tags=_tag_list(request.POST.get("tags", "")),
            department_id=_department_id(request.POST.get("department")),
        )
    return render(request, "projects/form.html", {"form": form, "creating": True, "look_alikes": look_alikes})


def _tag_list(raw: str) -> list[str]:
    try:
        return skill_names_parse(raw or "")
    except ValidationError:
        return []


def _department_id(raw: str | None) -> int | None:
    """The draft's department as the form sent it; anything but a positive number is no department."""
    if not raw or len(raw) > 10 or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw) or None


@require_GET
def similar(request):
    """htmx: existing projects like the draft on /projects/new/, "possibly the same work" and "related"."""
    look_alikes = selectors.project_look_alikes(
        name=request.GET.get("name", ""),
        summary=request.GET.get("summary", ""),
        tags=_tag_list(request.GET.get("tags", "")),
        department_id=_department_id(request.GET.get("department")),
    )
    return render(request, "projects/_similar.html", {"look_alikes": look_alikes})


@require_http_methods(["GET", "POST"])
def edit(request, project_id: int):
    project = _project_or_404(project_id)
    if not services.project_can_edit(project=project, profile=viewer_profile(request)):
        raise PermissionDenied("Only the project's creator and leads can edit it.")
    initial = {
        "name": project.name,
        "summary": project.summary,
        "status": project.status,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "department": project.department_id,
        "tags": ", ".join(t.name if "," not in t.name else f'"{t.name}"' for t in project.tags.all()),
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_edit(project=project, editor=viewer_profile(request), **form.cleaned_data)
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "Project saved.")
            return redirect(project)
    return render(request, "projects/form.html", {"form": form, "project": project, "creating": False})


@require_POST
def join(request, project_id: int):
    project = _project_row_or_404(project_id)
    viewer = viewer_profile(request)
    action_run(
        request,
        lambda: services.project_join(project=project, profile=viewer),
        success="You joined the project.",
    )
    return redirect(project)


@require_POST
def leave(request, project_id: int):
    project = _project_row_or_404(project_id)
    viewer = viewer_profile(request)
    action_run(
        request,
        lambda: services.project_leave(project=project, profile=viewer),
        success="You left the project.",
    )
    return redirect(project)


def _managed_project_or_403(request, project_id: int, message: str) -> Project:
    # Before the form is read, so someone who may not manage members learns nothing from its errors;
    # the service checks again under the project's lock.
    project = _project_row_or_404(project_id)
    if not services.project_can_manage_members(project=project, profile=viewer_profile(request)):
        raise PermissionDenied(message)
    return project


@require_POST
def member_role(request, project_id: int, profile_id: int):
    project = _managed_project_or_403(request, project_id, "Only the project's leads can change roles.")
    person = _person_or_404(profile_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
        return redirect(project)
    role = form.cleaned_data["role"]
    action_run(
        request,
        lambda: services.project_member_role_set(
            project=project, actor=viewer_profile(request), profile=person, role=role
        ),
        success=f"{person.display_name} is now {_role_label(role)}.",
    )
    return redirect(project)


def _role_label(role: str) -> str:
    return {"lead": "a lead", "member": "a member", "advisor": "an advisor"}[role]


@require_POST
def member_add(request, project_id: int):
    project = _managed_project_or_403(request, project_id, "Only the project's leads can add members.")
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(project)
    person, role = form.cleaned_data["recipient"], form.cleaned_data["role"]
    action_run(
        request,
        lambda: services.project_member_add(
            project=project, actor=viewer_profile(request), profile=person, role=role
        ),
        success=f"{person.display_name} is now on the project as {_role_label(role)}.",
    )
    return redirect(project)


@require_POST
def member_remove(request, project_id: int, profile_id: int):
    project = _managed_project_or_403(request, project_id, "Only the project's leads can remove members.")
    person = _person_or_404(profile_id)
    action_run(
        request,
        lambda: services.project_member_remove(
            project=project, actor=viewer_profile(request), profile=person
        ),
        success=f"{person.display_name} is no longer on the project.",
    )
    return redirect(project)


@require_POST
def update_create(request, project_id: int):
    project = _project_or_404(project_id)
    viewer = viewer_profile(request)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            services.project_update_create(project=project, author=viewer, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "Update posted.")
            return redirect(project)
    context = _detail_context(request, project, update_form=form)
    return render(request, "projects/detail.html", context, status=400)
