from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import bad_cursor_400, form_errors_add, redirect_next
from expertise import selectors, services
from expertise.forms import SkillsForm
from expertise.models import ProfileSkill
from profiles.selectors import viewer_profile


@require_GET
def index(request):
    return render(
        request,
        "expertise/index.html",
        {"skills": selectors.skills_popular(), "interests": selectors.interests_popular()},
    )


@bad_cursor_400
def _people_page(request, found, *, kind: str, people):
    """A skill's or an interest's page (expertise/<kind>.html): one page of the people listing it."""
    if found is None:
        raise Http404(f"Nobody lists that {kind} yet.")
    page = people(**{kind: found}, cursor=request.GET.get("cursor"))
    return render(request, f"expertise/{kind}.html", {kind: found, "page": page})


@require_GET
def skill(request, slug: str):
    found = selectors.skill_by_slug(slug=slug)
    if found is not None and found.slug != slug:  # /skills/k8s/ is an alias: the skill's own address
        return redirect(found)
    return _people_page(request, found, kind="skill", people=selectors.people_with_skill_page)


@require_GET
def interest(request, slug: str):
    found = selectors.interest_by_slug(slug=slug, viewer=viewer_profile(request))
    return _people_page(request, found, kind="interest", people=selectors.people_with_interest_page)


@require_POST
def interest_add(request, slug: str):
    found = selectors.interest_by_slug(slug=slug, viewer=None)
    if found is None:
        raise Http404("Nobody lists that interest yet.")
    try:
        added = services.profile_interest_add(profile=viewer_profile(request), interest=found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if added:
            messages.success(request, f"{found.name} is now on your profile.")
        else:
            messages.info(request, f"{found.name} was already on your profile.")
    return redirect(found)


@require_http_methods(["GET", "POST"])
def edit_mine(request):
    profile = viewer_profile(request)
    form = SkillsForm(
        request.POST or None,
        items=selectors.skill_items_of(profile=profile),
        interest_names=[i.name for i in selectors.interests_of(profile=profile)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_expertise_set(
                profile=profile,
                skill_names=form.cleaned_data["skills"],
                levels=form.cleaned_data["levels"],
                new_level=form.cleaned_data["new_level"],
                interest_names=form.cleaned_data["interests"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "Skills saved.")
            return redirect(profile)
    return render(request, "expertise/edit.html", {"form": form, "levels": ProfileSkill.Level})


@require_GET
def meet(request):
    viewer = viewer_profile(request)
    suggestions = selectors.people_to_meet(viewer=viewer)
    # Only when there is nothing to show: tell people without skills or interests what to do.
    has_tags = bool(suggestions) or selectors.lists_anything(profile=viewer)
    return render(request, "expertise/meet.html", {"suggestions": suggestions, "has_tags": has_tags})


def _endorsement_change(request, item_id: int, *, withdraw: bool):
    """Endorse or withdraw; htmx swaps the skill's row in place, plain forms go back to the profile."""
    viewer = viewer_profile(request)
    error = None
    try:
        if withdraw:
            services.endorsement_withdraw(endorser=viewer, profile_skill_id=item_id)
        else:
            services.endorsement_create(endorser=viewer, profile_skill_id=item_id)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    shown = selectors.profile_skill_for_viewer(profile_skill_id=item_id, viewer=viewer)
    if request.headers.get("HX-Request"):
        if shown is None:
            return render(request, "expertise/_skill_gone.html", {"error": error}, status=200)
        context = {"shown": shown, "viewer": viewer, "error": error}
        return render(request, "expertise/_skill_item.html", context)
    if error:
        messages.error(request, error)
    elif shown is not None:
        owner, name = shown.item.content_object.display_name, shown.item.tag.name
        messages.success(
            request,
            f"You withdrew your endorsement of {owner} for {name}."
            if withdraw
            else f"You endorsed {owner} for {name}.",
        )
    fallback = shown.item.content_object.get_absolute_url() if shown is not None else "expertise:index"
    return redirect_next(request, fallback=fallback)


@require_POST
def endorse(request, item_id: int):
    return _endorsement_change(request, item_id, withdraw=False)


@require_POST
def endorsement_withdraw(request, item_id: int):
    return _endorsement_change(request, item_id, withdraw=True)
