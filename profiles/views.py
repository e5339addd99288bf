from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.pagination import BadCursor
from profiles import selectors, services
from profiles.forms import ProfileForm


@require_GET
def directory(request):
    department_id = request.GET.get("department") or None
    try:
        department_id = int(department_id) if department_id else None
        page = selectors.directory_page(cursor=request.GET.get("cursor"), department_id=department_id)
    except (ValueError, BadCursor):
        return HttpResponseBadRequest("That page link is not valid.")
    return render(
        request,
        "profiles/directory.html",
        {"page": page, "departments": selectors.departments(), "department_id": department_id},
    )


@require_GET
def detail(request, profile_id: int):
    profile = selectors.profile_detail(profile_id=profile_id)
    if profile is None:
        raise Http404("No such person.")
    return render(
        request,
        "profiles/detail.html",
        {"profile": profile, "reports": selectors.direct_reports(profile=profile)},
    )


@require_http_methods(["GET", "POST"])
def edit(request, profile_id: int):
    profile = selectors.profile_detail(profile_id=profile_id)
    if profile is None:
        raise Http404("No such person.")
    if profile.user_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied("You can only edit your own profile.")
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=profile, editor=request.user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect(profile)
    return render(request, "profiles/edit.html", {"form": form, "profile": profile})


@require_GET
def suggest(request):
    """htmx: <option>s for a people picker's datalist."""
    people = selectors.people_suggest(query=request.GET.get("q") or request.GET.get("recipient", ""))
    return render(request, "profiles/_suggest_options.html", {"people": people})
