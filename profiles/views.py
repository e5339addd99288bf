"""People pages: the directory, a profile, editing one's own, the org chart, and profile photos."""

import mimetypes
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.views.decorators.http import require_GET, require_http_methods

from common.views import BAD_PAGE_LINK, form_errors_add
from profiles import selectors, services
from profiles.forms import ProfileForm


def _positive_int(value: str | None) -> int | None:
    if not value:
        return None
    number = int(value)  # ValueError on an edited link: a 400 below
    if number < 1:
        raise ValueError(value)
    return number


@require_GET
def directory(request):
    skill = (request.GET.get("skill") or "").strip()[:100]
    tenure = request.GET.get("tenure") or ""
    try:
        department_id = _positive_int(request.GET.get("department"))
        location_id = _positive_int(request.GET.get("location"))
        if tenure and tenure not in selectors.TENURE_CHOICES:
            raise ValueError(tenure)
        page = selectors.directory_page(
            cursor=request.GET.get("cursor"),
            department_id=department_id,
            location_id=location_id,
            skill=skill or None,
            tenure=tenure or None,
        )
    except ValueError:  # a filter Hive does not offer, or an edited cursor (a BadCursor is a ValueError)
        return HttpResponseBadRequest(BAD_PAGE_LINK)
    filters = {"department": department_id, "location": location_id, "skill": skill, "tenure": tenure}
    return render(
        request,
        "profiles/directory.html",
        {
            "page": page,
            "departments": selectors.department_choices(),
            "locations": selectors.location_choices(),
            "tenure_choices": selectors.TENURE_CHOICES.items(),
            "department_id": department_id,
            "location_id": location_id,
            "skill": skill,
            "tenure": tenure,
            "filtered": any(filters.values()),
            # The "More people" link keeps the filters.
            "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


def _profile_or_404(profile_id: int):
    profile = selectors.profile_detail(profile_id=profile_id)
    if profile is None:
        raise Http404("No such person.")
    return profile


@require_GET
def detail(request, profile_id: int):
    profile = _profile_or_404(profile_id)
    local_time = selectors.profile_local_time(profile=profile)
    return render(
        request,
        "profiles/detail.html",
        {
            "profile": profile,
            "reports": selectors.direct_reports(profile=profile),
            "local_time": local_time,
            # Formatted here: the template's time filter would convert back to the viewer's zone.
            "local_time_text": local_time.strftime("%H:%M") if local_time else "",
            "tenure": selectors.profile_tenure(start_date=profile.start_date),
            "links": selectors.profile_links(profile=profile),
            "can_edit": request.user.pk == profile.user_id or request.user.is_superuser,
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request, profile_id: int):
    profile = _profile_or_404(profile_id)
    if profile.user_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied("You can only edit your own profile.")
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile, editor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_edit(
                profile=profile,
                editor=request.user,
                fields=form.profile_fields(),
                photo=form.cleaned_data.get("photo"),
                photo_remove=form.cleaned_data.get("photo_remove", False),
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect(profile)
    return render(request, "profiles/edit.html", {"form": form, "profile": profile}, status=200)


@require_GET
def org_chart(request, profile_id: int):
    profile = _profile_or_404(profile_id)
    return render(request, "profiles/org_chart.html", {"org": selectors.org_chart(profile=profile)})


@require_GET
def suggest(request):
    """htmx: <option>s for a people picker's datalist."""
    people = selectors.people_suggest(query=request.GET.get("q") or request.GET.get("recipient", ""))
    # Without the request: the options need none of the context processors' viewer and roles (two
    # queries), and this answers every pause in typing.
    return HttpResponse(render_to_string("profiles/_suggest_options.html", {"people": people}))


PHOTO_DIRECTORY = "profile-photos/"


@require_GET
@login_required
def media(request, path: str):
    """Uploaded files (profile photos) for signed-in people only, from settings.MEDIA_ROOT.

    Mounted at /media/<path> in config/urls.py. safe_join refuses any path that leaves MEDIA_ROOT
    ("../settings.py", an absolute path); anything that is not an image is sent as a download so a
    browser never renders it as a page.
    """
    if not path.startswith(PHOTO_DIRECTORY):
        raise Http404("No such file.")  # other uploads (post pictures) go through their own checks
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except (SuspiciousFileOperation, ValueError) as exc:
        raise Http404("No such file.") from exc
    if not full_path.is_file():
        raise Http404("No such file.")
    content_type, _ = mimetypes.guess_type(full_path.name)
    is_image = bool(content_type and content_type.startswith("image/") and content_type != "image/svg+xml")
    response = FileResponse(
        full_path.open("rb"),
        content_type=content_type if is_image else "application/octet-stream",
        as_attachment=not is_image,
    )
    # Photos change name when replaced, so they can be cached for long, but only by the browser.
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
