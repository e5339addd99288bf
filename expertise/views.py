from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.pagination import BadCursor
from expertise import selectors, services
from expertise.forms import SkillsForm
from profiles.selectors import viewer_profile


@require_GET
def index(request):
    return render(request, "expertise/index.html", {"skills": selectors.skills_popular()})


@require_GET
def skill(request, slug: str):
    found = selectors.skill_by_slug(slug=slug)
    if found is None:
        raise Http404("Nobody lists that skill yet.")
    try:
        page = selectors.people_with_skill_page(skill=found, cursor=request.GET.get("cursor"))
    except BadCursor:
        return HttpResponseBadRequest("That page link is not valid.")
    return render(request, "expertise/skill.html", {"skill": found, "page": page})


@require_http_methods(["GET", "POST"])
def edit_mine(request):
    profile = viewer_profile(request)
    current = ", ".join(
        s.name if "," not in s.name else f'"{s.name}"' for s in selectors.skills_of(profile=profile)
    )
    form = SkillsForm(request.POST or None, initial={"skills": current})
    if request.method == "POST" and form.is_valid():
        services.profile_skills_set(profile=profile, names=form.cleaned_data["skills"])
        messages.success(request, "Skills saved.")
        return redirect(profile)
    return render(request, "expertise/edit.html", {"form": form})
