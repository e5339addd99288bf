from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.views import action_run, bad_cursor_400, form_errors_add, redirect_next
from moderation import selectors, services
from moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    BulkForm,
    DecisionForm,
    EscalateForm,
    FlagForm,
    GuidelinesForm,
)
from moderation.models import Case
from moderation.protocol import (
    can_edit,
    content_history,
    content_readable,
    content_shown,
    content_text,
    registered_kinds,
    removed_at_of,
)
from moderation.ratelimit import rate_limited
from moderation.selectors import current_clause_choices
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
    admin = request.user.is_superuser
    filters = selectors.QueueFilter.from_query(request.GET)
    page = selectors.queue_page(cursor=request.GET.get("cursor"), filters=filters, admin=admin)
    queue_counts = selectors.queue_counts(admin=admin)
    counts = queue_counts.by_status
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "filters": filters,
            "filter_query": filters.as_query(),
            "counts": counts,
            "groups": queue_counts.groups,
            "clauses": selectors.clauses_for_filter(),
            "kinds": registered_kinds(),
            "statuses": [(v, label, counts[v]) for v, label in Case.Status.choices if v in counts],
            "decisions": selectors.recent_decisions(),
            "bulk_max": services.BULK_MAX,
        },
    )


DONE = {
    "keep": "kept",
    "warn": "author warned",
    "edit": "edited, author told why",
    "remove": "removed",
    "suspend": "removed, author suspended",
}


def _case_or_404(request, case_id: int) -> Case:
    """Moderators see every case; a case's author sees theirs once decided against them; anyone else
    gets 403, whether or not the case exists (nobody learns that something they wrote was flagged)."""
    is_moderator = services.is_moderator(request.user)
    case = selectors.case_detail(case_id=case_id)
    if case is None:
        if is_moderator:
            raise Http404("No such case.")
        raise PermissionDenied("Only moderators and the author can open a case.")
    viewer = viewer_profile(request)
    if is_moderator or (viewer is not None and services.case_visible_to_author(case=case, viewer=viewer)):
        return case
    raise PermissionDenied("Only moderators and the author can open a case.")


@require_GET
def case(request, case_id: int):
    case = _case_or_404(request, case_id)
    viewer = viewer_profile(request)
    appeal = selectors.case_appeal(case=case)
    context: dict[str, object] = {"case": case, "appeal": appeal, "now": timezone.now()}
    if services.is_moderator(request.user):
        flags = list(case.flags.all())
        records = selectors.flagger_records(flagger_ids=[f.flagger_id for f in flags])
        editable = can_edit(case.content_type) and case.content_object is not None
        for f in flags:
            f.record = records[f.flagger_id]  # type: ignore[attr-defined]
        context.update(
            moderator_view=True,
            past_cases=selectors.author_past_cases(case=case),
            history=content_history(case.content_type, object_id=case.object_id),
            clauses=current_clause_choices(),
            decisions=[
                (value, label)
                for value, label in Case.Decision.choices
                if value != Case.Decision.EDIT or editable
            ],
            edit_text=content_text(case.content_type, case.content_object) if editable else "",
            suspend_max=services.SUSPEND_MAX_DAYS,
            claim_minutes=services.CLAIM_MINUTES,
            hide_weight=settings.HIVE_FLAG_HIDE_WEIGHT,
            content_removed_at=removed_at_of(case.content_object) if case.content_object else None,
            suspension=selectors.suspension_active(profile_id=case.content_author_id),
            can_decide=services.case_decidable_by(case=case, moderator=viewer),
        )
    else:
        context.update(
            appeal_until=services.appeal_deadline(case=case),
            can_appeal=services.case_appealable(case=case, appellant=viewer) is None,
        )
    return render(request, "moderation/case.html", context)


def _case_action(request, case_id: int, action, *, success, back_to_case: bool = False):
    _require_moderator(request)
    if not selectors.case_exists(case_id=case_id):
        raise Http404("No such case.")
    try:
        done = action_run(request, action, success=success)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        done = False
    if done and not back_to_case:
        return redirect("moderation:queue")
    return redirect("moderation:case", case_id=case_id)


@require_POST
def claim(request, case_id: int):
    return _case_action(
        request,
        case_id,
        lambda: services.case_claim(case_id=case_id, moderator=viewer_profile(request)),
        success=f"The case is yours for {services.CLAIM_MINUTES} minutes.",
        back_to_case=True,
    )


@require_POST
def release(request, case_id: int):
    return _case_action(
        request,
        case_id,
        lambda: services.case_release(case_id=case_id, moderator=viewer_profile(request)),
        success="You let the case go.",
    )


@require_POST
def decide(request, case_id: int):
    _require_moderator(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if not selectors.case_exists(case_id=case_id):
            raise Http404("No such case.")
        messages.error(request, "Choose keep, warn, remove or suspend.")
        return redirect("moderation:case", case_id=case_id)
    data = form.cleaned_data
    return _case_action(
        request,
        case_id,
        lambda: services.case_decide(
            case_id=case_id,
            moderator=viewer_profile(request),
            decision=data["decision"],
            note=data["note"],
            clause_id=data["clause"],
            suspend_days=data["suspend_days"],
            text=data["text"],
        ),
        success=lambda case: f"Case {case.pk}: {DONE[case.decision]}.",
    )


@require_POST
def escalate(request, case_id: int):
    _require_moderator(request)
    form = EscalateForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _case_action(
        request,
        case_id,
        lambda: services.case_escalate(case_id=case_id, moderator=viewer_profile(request), note=note),
        success=lambda case: f"Case {case.pk} is with the admins now.",
    )


@require_POST
def bulk(request):
    _require_moderator(request)
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the cases to decide, and choose keep or remove.")
        return redirect("moderation:queue")
    data = form.cleaned_data
    try:
        decided, skipped = services.cases_decide_bulk(
            case_ids=data["cases"],
            moderator=viewer_profile(request),
            decision=data["decision"],
            note=data["note"],
            clause_id=data["clause"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("moderation:queue")
    if decided:
        messages.success(request, f"{len(decided)} case{'s' if len(decided) != 1 else ''} decided.")
    if skipped:
        messages.error(request, "Skipped " + "; ".join(skipped))
    return redirect("moderation:queue")


@require_POST
def appeal(request, case_id: int):
    """The author's appeal, from their case page."""
    _case_or_404(request, case_id)
    form = AppealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    action_run(
        request,
        lambda: services.appeal_create(case_id=case_id, appellant=viewer_profile(request), reason=reason),
        success="Your appeal is sent. A moderator who did not make the decision will review it.",
    )
    return redirect("moderation:case", case_id=case_id)


@require_POST
def appeal_decide(request, case_id: int):
    _require_moderator(request)
    form = AppealDecisionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"outcome": "", "note": ""}
    if data["outcome"] not in ("uphold", "overturn"):
        messages.error(request, "Choose to uphold or overturn the decision.")
        return redirect("moderation:case", case_id=case_id)
    return _case_action(
        request,
        case_id,
        lambda: services.appeal_decide(
            case_id=case_id,
            moderator=viewer_profile(request),
            overturn=data["outcome"] == "overturn",
            note=data["note"],
        ),
        success=lambda appeal: f"Appeal on case {case_id}: {appeal.get_outcome_display().lower()}.",
    )


@require_POST
def restore(request, case_id: int):
    if not request.user.is_superuser:
        raise PermissionDenied("Only admins can restore removed content.")
    note = request.POST.get("note", "")[:1000]
    return _case_action(
        request,
        case_id,
        lambda: services.case_restore(case_id=case_id, admin=viewer_profile(request), note=note),
        success="Restored: everyone who could see it sees it again.",
        back_to_case=True,
    )


FIGURE_PERIODS = (7, 30, 90)


@require_GET
def figures(request):
    """How consistent and how fast moderation is: for moderators and admins."""
    if not services.is_moderator(request.user):
        raise PermissionDenied("Only moderators and admins can see the moderation figures.")
    days = int(request.GET.get("days", "30")) if request.GET.get("days", "30").isdigit() else 30
    days = days if days in FIGURE_PERIODS else 30
    figures = selectors.moderation_figures(days=days)
    peak = max((n for _, n in figures.backlog), default=0) or 1
    return render(
        request,
        "moderation/figures.html",
        {
            "figures": figures,
            "periods": FIGURE_PERIODS,
            "peak": peak,
            "decision_kinds": Case.Decision.choices,
        },
    )


# --- Guidelines ----------------------------------------------------------------------------------


def guidelines(request):
    """The guidelines in force; for someone who has not accepted them, what changed since the version
    they did accept, and the button to accept."""
    viewer = viewer_profile(request)
    if request.method == "POST":
        number = request.POST.get("version", "")
        if action_run(
            request,
            lambda: services.guidelines_accept(
                profile=viewer, version_number=int(number) if number.isdigit() else 0
            ),
            success="Thank you: you can post and comment.",
        ):
            return redirect_next(request, fallback="guidelines:current")
        return redirect("guidelines:current")
    version = selectors.guidelines_current()
    accepted, up_to_date, changes = (
        selectors.guidelines_changes_for(profile_id=viewer.pk, version=version)
        if version is not None and viewer is not None
        else (None, True, [])
    )
    return render(
        request,
        "moderation/guidelines.html",
        {
            "version": version,
            "versions": selectors.guidelines_versions(),
            "can_edit": services.is_moderator(request.user),
            "accepted": accepted,
            "up_to_date": up_to_date,
            "changes": changes,
            "next": request.GET.get("next", ""),
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
