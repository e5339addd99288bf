from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.views import action_run, bad_cursor_400, form_errors_add, redirect_next
from moderation import selectors, services
from moderation.forms import DecisionForm, FlagForm, GuidelinesForm
from moderation.protocol import content_readable, content_shown
from moderation.ratelimit import rate_limited
from profiles.selectors import viewer_profile


def _require_moderator(request) -> None:
    if not services.is_moderator(request.user):
        raise PermissionDenied("Only moderators can open the review queue.")


@require_POST
@rate_limited("flags")
def flag(request, content_type_id: int, object_id: int):
    found = content_shown(content_type_id, object_id=object_id)
    if found is None:
        raise Http404
    content_type, content = found
    if not content_readable(content_type, object_id=object_id, viewer=viewer_profile(request)):
        raise Http404("That post is gone.")
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reason for the flag.")
        return redirect_next(request, fallback=content.get_absolute_url())
    reason, clause_id = form.cleaned_data["reason"]
    action_run(
        request,
        lambda: services.flag_create(
            flagger=viewer_profile(request),
            content=content,
            reason=reason,
            clause_id=clause_id,
            note=form.cleaned_data["note"],
        ),
        success="Thanks: a moderator will review it.",
    )
    return redirect_next(request, fallback=content.get_absolute_url())


@bad_cursor_400
@require_GET
def queue(request):
    _require_moderator(request)
    page = selectors.queue_page(cursor=request.GET.get("cursor"))
    return render(
        request,
        "moderation/queue.html",
        {"page": page, "decisions": selectors.recent_decisions(), "open_count": selectors.open_case_count()},
    )


@require_POST
def decide(request, case_id: int):
    _require_moderator(request)
    if not selectors.case_exists(case_id=case_id):
        raise Http404("No such case.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose keep or remove.")
        return redirect("moderation:queue")
    action_run(
        request,
        lambda: services.case_decide(
            case_id=case_id,
            moderator=viewer_profile(request),
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        success=lambda case: f"Case {case.pk}: {case.get_status_display().lower()}.",
    )
    return redirect("moderation:queue")


# --- Guidelines ----------------------------------------------------------------------------------


@require_GET
def guidelines(request):
    return render(
        request,
        "moderation/guidelines.html",
        {
            "version": selectors.guidelines_current(),
            "versions": selectors.guidelines_versions(),
            "can_edit": services.is_moderator(request.user),
        },
    )


@require_GET
def guidelines_version(request, number: int):
    version = selectors.guidelines_version(number=number)
    if version is None:
        raise Http404("No such version of the guidelines.")
    return render(
        request,
        "moderation/guidelines.html",
        {"version": version, "versions": selectors.guidelines_versions(), "past": True},
    )


def guidelines_edit(request):
    if not services.is_moderator(request.user):
        raise PermissionDenied("Only moderators and admins can change the guidelines.")
    current = selectors.guidelines_current()
    if request.method == "POST":
        form = GuidelinesForm(request.POST)
        if form.is_valid():
            try:
                version = services.guidelines_publish(
                    editor=viewer_profile(request),
                    source=form.cleaned_data["source"],
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, f"Version {version.number} of the guidelines is published.")
                return redirect("guidelines:current")
    else:
        form = GuidelinesForm(initial={"source": selectors.guidelines_document(current)})
    return render(request, "moderation/guidelines_edit.html", {"form": form, "current": current})
