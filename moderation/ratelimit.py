"""Rate limits per person: posts, comments, reactions, flags and kudos per minute and per day, tighter
in a person's first days, none for moderators and admins (who clean up a spam wave in bulk).

Views that act are wrapped in `rate_limited(action)`: over the limit, the person gets a 429 page saying
how long to wait (and a Retry-After header), with the text they wrote so nothing is lost. The counters
live in Redis (common/ratelimit.py) and let everything through while Redis is away.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from common import ratelimit
from moderation.rules_models import LimitedAction, RateLimit, RuleSettings
from moderation.services import audit_record
from profiles import roles
from profiles.models import Profile


@dataclass(frozen=True)
class Limits:
    per_minute: int
    per_day: int
    new_per_minute: int
    new_per_day: int


# Discourse's spirit: generous for people who have been around, tight for brand-new accounts.
DEFAULT_LIMITS: dict[str, Limits] = {
    LimitedAction.POSTS: Limits(per_minute=5, per_day=100, new_per_minute=2, new_per_day=20),
    LimitedAction.COMMENTS: Limits(per_minute=10, per_day=300, new_per_minute=4, new_per_day=60),
    LimitedAction.REACTIONS: Limits(per_minute=30, per_day=1000, new_per_minute=15, new_per_day=300),
    LimitedAction.FLAGS: Limits(per_minute=5, per_day=30, new_per_minute=2, new_per_day=10),
    LimitedAction.KUDOS: Limits(per_minute=5, per_day=50, new_per_minute=2, new_per_day=10),
}

_POLICY_KEY = "moderation:ratelimit-policy:v1"
_POLICY_SECONDS = 300


@dataclass(frozen=True)
class Policy:
    limits: dict[str, Limits]
    new_member_days: int
    first_posts_held: int


def rule_settings_current() -> RuleSettings:
    return RuleSettings.objects.filter(pk=1).first() or RuleSettings(pk=1)


def policy_current() -> Policy:
    """The limits in force: cached (one cache read per limited request), dropped on every change."""
    policy = cache.get(_POLICY_KEY)
    if policy is None:
        limits = dict(DEFAULT_LIMITS)
        for row in RateLimit.objects.all():
            limits[row.action] = Limits(row.per_minute, row.per_day, row.new_per_minute, row.new_per_day)
        rule_settings = rule_settings_current()
        policy = Policy(
            limits=limits,
            new_member_days=rule_settings.new_member_days,
            first_posts_held=rule_settings.first_posts_held,
        )
        cache.set(_POLICY_KEY, policy, _POLICY_SECONDS)
    return policy


def policy_forget() -> None:
    """Call inside the transaction that changed a limit. Dropped now, and again once it commits: a
    request reading the old rows in between may have cached them again."""
    cache.delete(_POLICY_KEY)
    transaction.on_commit(lambda: cache.delete(_POLICY_KEY))


def is_exempt(user) -> bool:
    return user.is_superuser or roles.MODERATORS in roles.user_roles(user)


def is_new_member(user, *, policy: Policy) -> bool:
    return user.date_joined > timezone.now() - timedelta(days=policy.new_member_days)


def windows_for(user, *, action: str) -> list[ratelimit.Window]:
    policy = policy_current()
    limits = policy.limits[action]
    factor = settings.HIVE_RATE_LIMIT_FACTOR  # tests raise it (tests/conftest.py) so no test trips a limit
    if is_new_member(user, policy=policy):
        per_minute, per_day = limits.new_per_minute, limits.new_per_day
    else:
        per_minute, per_day = limits.per_minute, limits.per_day
    return [
        ratelimit.Window(seconds=60, limit=per_minute * factor),
        ratelimit.Window(seconds=86400, limit=per_day * factor),
    ]


def limit_hit(*, user, action: str) -> int:
    """Count one `action` by `user`: 0 when allowed, else the seconds to wait."""
    if action not in DEFAULT_LIMITS:
        raise ValueError(f"Unknown rate-limited action {action!r}")
    if is_exempt(user):
        return 0
    return ratelimit.hit(name=f"{action}:{user.pk}", windows=windows_for(user, action=action))


def _wait_phrase(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{round(minutes / 60)} hours"


def _same_site(request: HttpRequest, url: str) -> str:
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else ""


def rate_limited_response(request: HttpRequest, *, action: str, retry_after: int) -> HttpResponse:
    message = (
        f"You have reached the limit for {LimitedAction(action).label.lower()} for now. "
        f"Please wait {_wait_phrase(retry_after)} and try again."
    )
    if request.headers.get("HX-Request"):
        # Not where the button meant to swap its answer (a reaction bar): into the page's alert region,
        # which base.html's htmx-config lets a 429 reach, so the person reads why nothing happened.
        response = HttpResponse(
            format_html('<p class="msg-error">{}</p>', message),
            status=429,
            content_type="text/html; charset=utf-8",
        )
        response["HX-Retarget"] = "#live-alert"
        response["HX-Reswap"] = "innerHTML"
    else:
        # What they wrote comes back on the page, so a refused post or comment is not lost.
        written = request.POST.get("body") or request.POST.get("message") or request.POST.get("note") or ""
        response = render(
            request,
            "moderation/rate_limited.html",
            {
                "message": message,
                "written": written,
                "back": _same_site(request, request.headers.get("Referer", "")),
            },
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(action: str):
    """Wrap a view: each POST counts as one `action` by the signed-in person."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
            if request.method == "POST" and request.user.is_authenticated:
                wait = limit_hit(user=request.user, action=action)
                if wait:
                    return rate_limited_response(request, action=action, retry_after=wait)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def limits_for_page() -> list[tuple[str, str, Limits]]:
    """(action, label, limits in force) for the rules page."""
    policy = policy_current()
    return [(action.value, action.label, policy.limits[action.value]) for action in LimitedAction]


@transaction.atomic
def limits_update(*, actor: Profile, action: str, limits: Limits) -> RateLimit:
    """A moderator or admin sets one action's limits; audited with before and after."""
    if action not in DEFAULT_LIMITS:
        raise ValueError(f"Unknown rate-limited action {action!r}")
    before = policy_current().limits[action]
    row, _ = RateLimit.objects.select_for_update().update_or_create(
        action=action,
        defaults={
            "per_minute": limits.per_minute,
            "per_day": limits.per_day,
            "new_per_minute": limits.new_per_minute,
            "new_per_day": limits.new_per_day,
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor, action="ratelimit.update", target=row, before=before.__dict__, after=limits.__dict__
    )
    policy_forget()
    return row


@transaction.atomic
def rule_settings_update(*, actor: Profile, new_member_days: int, first_posts_held: int) -> RuleSettings:
    row, _ = RuleSettings.objects.select_for_update().get_or_create(pk=1)
    before = {"new_member_days": row.new_member_days, "first_posts_held": row.first_posts_held}
    row.new_member_days = new_member_days
    row.first_posts_held = first_posts_held
    row.updated_at = timezone.now()
    row.updated_by = actor
    row.full_clean()
    row.save()
    after = {"new_member_days": new_member_days, "first_posts_held": first_posts_held}
    audit_record(actor=actor, action="rulesettings.update", target=row, before=before, after=after)
    policy_forget()
    return row


@transaction.atomic
def rate_policy_update(
    *, actor: Profile, limits: dict[str, Limits], new_member_days: int, first_posts_held: int
) -> int:
    """The rules page's limits form: what changed is saved and audited, all or nothing; returns how
    many things changed."""
    policy = policy_current()
    changed = 0
    for action, wanted in limits.items():
        if wanted != policy.limits[action]:
            limits_update(actor=actor, action=action, limits=wanted)
            changed += 1
    if (new_member_days, first_posts_held) != (policy.new_member_days, policy.first_posts_held):
        rule_settings_update(actor=actor, new_member_days=new_member_days, first_posts_held=first_posts_held)
        changed += 1
    return changed
