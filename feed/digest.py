"""The daily digest: the day's top posts, emailed once to each opted-in employee."""

from datetime import date

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse

from common.days import day_bounds
from common.email import email_build
from delivery.kinds import MailKind, Skip
from delivery.services import delivery_plan, delivery_queue
from feed.models import Post
from feed.selectors import public_posts
from profiles.models import Profile
from profiles.services import profile_digest_unsubscribe

DIGEST = "digest"
TOP_POSTS = 5
UNSUBSCRIBE_SALT = "feed.digest.unsubscribe"


def digest_top_posts(*, day: date, limit: int = TOP_POSTS) -> list[Post]:
    """The day's most engaged-with posts everyone may read (never a private group's); a comment
    weighs twice a reaction."""
    start, end = day_bounds(day)
    return list(
        public_posts()
        .filter(created_at__gte=start, created_at__lt=end)
        .select_related("author")
        .annotate(score=F("reaction_count") + 2 * F("comment_count"))
        .order_by("-score", "-created_at", "-id")[:limit]
    )


def digest_recipient_ids(*, day: date) -> list[int]:
    """Opted-in, active people: everyone owed the day's digest (the delivery path knows who has had it)."""
    return list(
        Profile.objects.filter(digest_opt_in=True, user__is_active=True)
        .order_by("id")
        .values_list("id", flat=True)
    )


def digest_send(*, day: date) -> int:
    """Queue the day's digest to every opted-in person still owed it; returns how many were queued.

    Nothing is recorded for a day without posts. The delivery path sends each message once, resumes
    after a crash and records what happened to each (Django admin: Delivery runs)."""
    if not digest_top_posts(day=day):
        return 0
    run = delivery_plan(kind=DIGEST, period=day.isoformat(), profile_ids=digest_recipient_ids(day=day))
    return delivery_queue(run=run)


def unsubscribe_token(profile_id: int) -> str:
    return signing.dumps(profile_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_profile_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _digest_prepare(period: str) -> list[Post]:
    return digest_top_posts(day=date.fromisoformat(period))


def _digest_build(*, profile: Profile, period: str, prepared: list[Post]):
    if not profile.digest_opt_in:
        raise Skip("opted out of the digest before it went out")
    if not prepared:
        raise Skip("the day's posts were all removed before the digest went out")
    return _digest_message(profile=profile, day=date.fromisoformat(period), posts=prepared)


def _digest_message(*, profile: Profile, day: date, posts: list[Post]):
    unsubscribe_url = settings.HIVE_BASE_URL + reverse(
        "feed:digest_unsubscribe", args=[unsubscribe_token(profile.pk)]
    )
    return email_build(
        name="digest",
        to=profile.user.email,
        context={
            "profile": profile,
            "day": day,
            "items": [{"post": p, "url": settings.HIVE_BASE_URL + p.get_absolute_url()} for p in posts],
            "unsubscribe_url": unsubscribe_url,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def digest_unsubscribe(*, profile_id: int) -> Profile | None:
    """The digest's unsubscribe link: the setting is the profile's, so profiles changes it."""
    return profile_digest_unsubscribe(profile_id=profile_id)


DIGEST_KIND = MailKind(name=DIGEST, prepare=_digest_prepare, build=_digest_build)
