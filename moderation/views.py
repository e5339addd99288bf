from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from common.pagination import BadCursor
from moderation import selectors, services
from moderation.forms import DecisionForm, FlagForm
from moderation.models import Case
from moderation.protocol import content_readable, is_moderatable
from profiles.selectors import viewer_profile


def _require_moderator(request) -> None:
    if not services.is_moderator(request.user):
        raise PermissionDenied("Only moderators can open the review queue.")


def _back(request, fallback: str):
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


@require_POST
def flag(request, content_type_id: int, object_id: int):
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    if not is_moderatable(content_type):
        raise Http404
    content = content_type.model_class().objects.filter(pk=object_id, removed_at__isnull=True).first()
    if content is None or not content_readable(
        content_type, object_id=object_id, viewer=viewer_profile(request)
    ):
        raise Http404("That post is gone.")
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reason for the flag.")
        return _back(request, content.get_absolute_url())
    try:
        services.flag_create(
            flagger=viewer_profile(request),
            content=content,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thanks: a moderator will review it.")
    return _back(request, content.get_absolute_url())


@require_GET
def queue(request):
    _require_moderator(request)
    try:
        page = selectors.queue_page(cursor=request.GET.get("cursor"))
    except BadCursor:
        return HttpResponseBadRequest("That page link is not valid.")
    return render(
        request,
        "moderation/queue.html",
        {"page": page, "decisions": selectors.recent_decisions(), "open_count": selectors.open_case_count()},
    )


@require_POST
def decide(request, case_id: int):
    _require_moderator(request)
    if not Case.objects.filter(pk=case_id).exists():
        raise Http404("No such case.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose keep or remove.")
        return redirect("moderation:queue")
    try:
        case = services.case_decide(
            case_id=case_id,
            moderator=viewer_profile(request),
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Case {case.pk}: {case.get_status_display().lower()}.")
    return redirect("moderation:queue")
