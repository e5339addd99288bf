import calendar
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.pagination import BadCursor
from common.views import action_run, form_errors_add
from moderation.ratelimit import rate_limited
from profiles.selectors import departments as departments_all
from profiles.selectors import profile_by_id, viewer_profile
from projects.selectors import project_by_id
from recognition import selectors, services
from recognition.forms import KudosForm

PICKERS_MIN = 3  # empty colleague boxes shown, so several people can be named without JavaScript


@require_http_methods(["GET", "POST"])
@rate_limited("kudos")
def give(request):
    viewer = viewer_profile(request)
    initial: dict = {}
    to = request.GET.get("to", "")
    if to.isdigit():
        person = profile_by_id(profile_id=int(to), active_only=True)
        if person is not None:
            initial["recipient"] = [f"{person.display_name} <{person.user.email}>"]
    raw_project = request.POST.get("project") or request.GET.get("project") or ""
    project = project_by_id(project_id=int(raw_project)) if raw_project.isdigit() else None
    config = selectors.recognition_settings()
    form = KudosForm(
        request.POST or None, initial=initial, value_required=config.value_required, team=project is not None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kudos = services.kudos_give(
                giver=viewer,
                recipients=data["recipient"],
                values=list(data["values"]),
                message=data["message"],
                points_each=data["points_each"],
                is_private=data["is_private"],
                project=project,
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            names = ", ".join(p.display_name for p in kudos.recipients.all())
            messages.success(request, f"Kudos sent to {names}.")
            if kudos.is_private:
                return redirect("recognition:detail", kudos_id=kudos.pk)
            return redirect("feed:home")
    named = [raw for raw in (form["recipient"].value() or []) if raw]
    boxes = named + [""] * max(PICKERS_MIN - len(named), 1)
    pickers = [(f"id_recipient_{n}", raw) for n, raw in enumerate(boxes, start=1)]
    context = {
        "form": form,
        "pickers": pickers,
        "allowance": selectors.points_allowance_left(profile=viewer),
        "project": project,
        "suggestions": [] if (initial or project) else selectors.kudos_suggestions(viewer=viewer),
    }
    return render(request, "recognition/give.html", context, status=400 if form.errors else 200)


_MARKER = 987654321987


def _url_of(name: str) -> Callable[[int], str]:
    """The address of `name` for any id, from one reverse(): a wall page links some 60 profiles and posts,
    and reversing each (namespaces, language, script prefix, every time) was a third of its CPU."""
    before, after = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{before}{pk}{after}"


def wall(request):
    """The company's public kudos, newest first, optionally for one company value."""
    value_id = _int_or_none(request.GET.get("value"))
    try:
        page = selectors.kudos_wall(value_id=value_id, cursor=request.GET.get("cursor"))
    except BadCursor as exc:
        raise Http404(str(exc)) from exc
    profile_url, post_url = _url_of("profiles:detail"), _url_of("feed:post")
    for kudos in page.items:
        kudos.giver_url, kudos.post_url = profile_url(kudos.giver_id), post_url(kudos.post_id)
        for person in kudos.people:
            person.url = profile_url(person.pk)
    context = {
        "page": page,
        "values": selectors.active_values(),
        "value_id": value_id,
        "extra_query": f"value={value_id}" if value_id else "",
    }
    return render(request, "recognition/wall.html", context)


def detail(request, kudos_id: int):
    kudos = selectors.kudos_visible(kudos_id=kudos_id, viewer=viewer_profile(request))
    if kudos is None:
        raise Http404("No such kudos, or it is private.")
    if kudos.post is not None:  # public: its post is where people see and answer it
        return redirect(kudos.post.get_absolute_url())
    return render(request, "recognition/detail.html", {"kudos": kudos})


# --- Rewards -----------------------------------------------------------------------------------


def rewards(request):
    viewer = viewer_profile(request)
    context = {
        "rewards": selectors.rewards_offered(),
        "account": selectors.points_account(profile=viewer),
        "redemptions": selectors.redemptions_of(profile=viewer),
        "history": selectors.points_history(profile=viewer),
        "can_review": request.user.has_perm("recognition.change_redemption"),
    }
    return render(request, "recognition/rewards.html", context)


@require_POST
def reward_redeem(request, reward_id: int):
    action_run(
        request,
        lambda: services.reward_redeem(profile=viewer_profile(request), reward_id=reward_id),
        success=lambda r: f"You asked for {r.reward.name}; an admin will review your request.",
    )
    return redirect("recognition:rewards")


def _reviewer_only(request) -> None:
    if not request.user.has_perm("recognition.change_redemption"):
        raise PermissionDenied("Only admins who manage rewards review requests.")


@require_http_methods(["GET", "POST"])
def redemption_requests(request):
    _reviewer_only(request)
    if request.method == "POST":
        request_id = request.POST.get("redemption", "")
        approve = request.POST.get("decision") == "approve"
        if request_id.isdigit():
            action_run(
                request,
                lambda: services.redemption_decide(
                    redemption_id=int(request_id),
                    admin=viewer_profile(request),
                    approve=approve,
                    note=request.POST.get("note", ""),
                ),
                success=lambda r: f"{r.profile.display_name}'s request for {r.reward.name} is {r.status}.",
            )
        return redirect("recognition:requests")
    try:
        page = selectors.redemptions_waiting(cursor=request.GET.get("cursor"))
    except BadCursor as exc:
        raise Http404(str(exc)) from exc
    return render(request, "recognition/requests.html", {"page": page})


# --- Manager view, leaderboard, rings, preferences ------------------------------------------------


def team(request):
    """A manager's direct reports, who has gone longest without recognition first."""
    viewer = viewer_profile(request)
    members = selectors.team_recognition(manager=viewer)
    now = timezone.now()
    rows = [(m, m.quiet_for_days(now=now)) for m in members]
    context = {
        "rows": rows,
        "unrecognised_60": sum(1 for _, days in rows if days is None or days >= 60),
        "unrecognised_90": sum(1 for _, days in rows if days is None or days >= 90),
        "received": sum(m.received_recent for m in members),
        "given": sum(m.given_recent for m in members),
    }
    return render(request, "recognition/team.html", context)


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def leaderboard(request):
    period = request.GET.get("period", "month")
    if period not in selectors.PERIODS:
        period = "month"
    value_id = _int_or_none(request.GET.get("value"))
    department_id = _int_or_none(request.GET.get("department"))
    context = {
        "ranked": selectors.leaderboard(period=period, value_id=value_id, department_id=department_id),
        "period": period,
        "periods": list(selectors.PERIODS.items()),
        "values": selectors.active_values(),
        "value_id": value_id,
        "departments": departments_all(),
        "department_id": department_id,
        "opted_out": selectors.leaderboard_opted_out(profile=viewer_profile(request)),
    }
    return render(request, "recognition/leaderboard.html", context)


def rings(request):
    if not request.user.has_perm("recognition.view_kudos"):
        raise PermissionDenied("Only admins see the recognition rings report.")
    return render(request, "recognition/rings.html", {"rings": selectors.recognition_rings()})


MONTHS = [(n, calendar.month_name[n]) for n in range(1, 13)]


def _birthday_from(post) -> tuple[int, int] | None:
    month, day = post.get("birthday_month", ""), post.get("birthday_day", "")
    if not month and not day:
        return None
    if not (month.isdigit() and day.isdigit()):
        raise ValidationError("Pick both the month and the day of your birthday, or neither.")
    return int(month), int(day)


@require_http_methods(["GET", "POST"])
def preferences(request):
    viewer = viewer_profile(request)
    if request.method == "POST":
        opted_out = request.POST.get("leaderboard_opt_out") == "on"
        try:
            services.recognition_preference_set(
                profile=viewer, leaderboard_opt_out=opted_out, birthday=_birthday_from(request.POST)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "You are no longer ranked on leaderboards."
                if opted_out
                else "You may be ranked on leaderboards.",
            )
        return redirect("recognition:preferences")
    preference = selectors.recognition_preference(profile=viewer)
    context = {
        "opted_out": preference.leaderboard_opt_out,
        "birthday_month": preference.birthday_month,
        "birthday_day": preference.birthday_day,
        "months": MONTHS,
        "days": range(1, 32),
    }
    return render(request, "recognition/preferences.html", context)
