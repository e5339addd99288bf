"""The rules page for moderators and admins: watched words, expressions and detectors, a live test
box, the rate limits and the new-member settings. Every change is audited (moderation.rules)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.views import bad_cursor_400, form_errors_add
from moderation import ratelimit, rules
from moderation.rules_forms import LimitsForm, RuleEditForm, RuleForm, RuleSettingsForm, RuleTestForm
from moderation.rules_models import RuleKind
from moderation.services import is_moderator
from profiles.selectors import viewer_profile


def _require_moderator(request) -> None:
    if not is_moderator(request.user):
        raise PermissionDenied("Only moderators and admins can see and change the rules.")


def _page(
    request, *, form=None, test_form=None, verdict=None, limits_form=None, settings_form=None, status=200
):
    policy = ratelimit.policy_current()
    context = {
        "form": form or RuleForm(),
        "test_form": test_form or RuleTestForm(),
        "verdict": verdict,
        "limits_form": limits_form or LimitsForm(current=policy.limits),
        "settings_form": settings_form
        or RuleSettingsForm(
            initial={"new_member_days": policy.new_member_days, "first_posts_held": policy.first_posts_held}
        ),
        "page": rules.rules_page(cursor=request.GET.get("cursor")),
        "rule_count": rules.rule_count(),
        "changes": rules.rule_changes_recent(),
        "where_labels": rules.WHERE_LABELS,
    }
    return render(request, "moderation/rules.html", context, status=status)


@bad_cursor_400
@require_http_methods(["GET", "POST"])
def rules_home(request):
    """The list, and the form that adds a rule (or several watched words at once)."""
    _require_moderator(request)
    if request.method == "GET":
        return _page(request)
    form = RuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == RuleKind.WORD:
                created = rules.words_create(
                    actor=viewer_profile(request),
                    words=data["pattern"],
                    action=data["action"],
                    where=data["where"],
                    message=data["message"],
                )
                count = len(created)
            else:
                rules.rule_create(
                    actor=viewer_profile(request),
                    kind=data["kind"],
                    pattern=data["pattern"],
                    action=data["action"],
                    where=data["where"],
                    message=data["message"],
                    countries=data["countries"],
                )
                count = 1
        except ValidationError as exc:
            form_errors_add(form, exc, field="pattern")
        else:
            messages.success(
                request,
                f"{count} rule{'s' if count != 1 else ''} added."
                if count
                else "Those words are watched already.",
            )
            return redirect("moderation:rules")
    return _page(request, form=form, status=400)


@require_http_methods(["GET", "POST"])
def rule_edit(request, rule_id: int):
    _require_moderator(request)
    rule = rules.rule_by_id(rule_id=rule_id)
    if rule is None:
        raise Http404("No such rule.")
    initial = {
        "pattern": rule.pattern,
        "countries": rule.countries,
        "action": rule.action,
        "message": rule.message,
        "where": [w for w, flag in rules.WHERE.items() if getattr(rule, flag)],
        "is_active": rule.is_active,
    }
    form = RuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rules.rule_update(
                actor=viewer_profile(request),
                rule_id=rule.pk,
                pattern=data["pattern"],
                action=data["action"],
                where=data["where"],
                message=data["message"],
                countries=data["countries"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc, field="pattern")
        else:
            messages.success(request, "Rule saved.")
            return redirect("moderation:rules")
    return render(
        request, "moderation/rule_edit.html", {"form": form, "rule": rule}, status=400 if form.errors else 200
    )


@require_POST
def rule_delete(request, rule_id: int):
    _require_moderator(request)
    try:
        rules.rule_delete(actor=viewer_profile(request), rule_id=rule_id)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    messages.success(request, "Rule deleted.")
    return redirect("moderation:rules")


@require_POST
def rule_test(request):
    """The live test box: what the saved rules would do to this text (htmx swaps in the result)."""
    _require_moderator(request)
    form = RuleTestForm(request.POST)
    verdict = None
    if form.is_valid():
        verdict = rules.text_screen(text=form.cleaned_data["text"], where=form.cleaned_data["where"])
    if request.headers.get("HX-Request"):
        return render(request, "moderation/_rule_test_result.html", {"verdict": verdict, "test_form": form})
    return _page(request, test_form=form, verdict=verdict, status=200 if form.is_valid() else 400)


@require_POST
def limits_save(request):
    _require_moderator(request)
    policy = ratelimit.policy_current()
    form = LimitsForm(request.POST, current=policy.limits)
    settings_form = RuleSettingsForm(request.POST)
    if form.is_valid() and settings_form.is_valid():
        limits = {
            action.value: ratelimit.Limits(*(form.cleaned_data[f.name] for f in bound))
            for action, bound in form.rows()
        }
        changed = ratelimit.rate_policy_update(
            actor=viewer_profile(request), limits=limits, **settings_form.cleaned_data
        )
        messages.success(request, "Limits saved." if changed else "Nothing changed.")
        return redirect("moderation:rules")
    return _page(request, limits_form=form, settings_form=settings_form, status=400)
