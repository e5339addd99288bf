"""The digest as a kind of bulk email (delivery/): who is owed it for a day, and each person's message."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from common.email import email_build
from delivery.kinds import MailKind, Skip
from delivery.services import delivery_plan, delivery_queue
from digests.selectors import DIGEST, DigestContent, digest_contents, digest_due_q
from profiles.models import Profile

# Unchanged since the digest lived in feed, so links in mail already sent still work (until they expire).
UNSUBSCRIBE_SALT = "feed.digest.unsubscribe"


def digest_recipient_ids(*, day: date) -> list[int]:
    """Active people whose digest goes out the morning after `day` (daily, or weekly on that weekday)."""
    morning = day + timedelta(days=1)
    return list(
        Profile.objects.filter(digest_due_q(weekday=morning.weekday()), user__is_active=True)
        .order_by("id")
        .values_list("id", flat=True)
    )


def digest_send(*, day: date) -> int:
    """Queue the digest covering up to the end of `day` to everyone due it; returns how many were queued.

    Whether each person gets one (something new since their last visit or digest) is decided when
    their batch is built; the delivery path records each outcome (Django admin: Delivery runs), sends
    each message once and resumes after a crash."""
    run = delivery_plan(kind=DIGEST, period=day.isoformat(), profile_ids=digest_recipient_ids(day=day))
    return delivery_queue(run=run)


class UnsubscribeLinkExpired(Exception):
    """A genuine link, but older than HIVE_UNSUBSCRIBE_LINK_DAYS: a forwarded old digest should not
    turn anyone's mail off for ever."""


def unsubscribe_token(profile_id: int) -> str:
    """Signed (SECRET_KEY) and timestamped: the person's id is the only thing in it."""
    return signing.dumps(profile_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_profile_id(token: str) -> int | None:
    """Whose link this is; None if it was tampered with or is not one of ours. Raises
    UnsubscribeLinkExpired for a genuine link that is too old."""
    try:
        return int(
            signing.loads(
                token, salt=UNSUBSCRIBE_SALT, max_age=timedelta(days=settings.HIVE_UNSUBSCRIBE_LINK_DAYS)
            )
        )
    except signing.SignatureExpired as expired:
        raise UnsubscribeLinkExpired(str(expired)) from expired
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _prepare(period: str) -> date:
    return date.fromisoformat(period)


def _prepare_batch(period: str, day: date, profiles: list[Profile]) -> dict[int, DigestContent | str]:
    return digest_contents(profile_ids=[p.pk for p in profiles], day=day)


def _build(*, profile: Profile, period: str, prepared: dict[int, Any]):
    content = prepared.get(profile.pk)
    if content is None:
        raise Skip("no digest was prepared for this person")  # cannot happen: the batch prepares everyone
    if isinstance(content, str):
        raise Skip(content)
    return digest_message(profile=profile, day=date.fromisoformat(period), content=content)


def digest_message(*, profile: Profile, day: date, content: DigestContent):
    unsubscribe_url = settings.HIVE_BASE_URL + reverse(
        "digests:unsubscribe", args=[unsubscribe_token(profile.pk)]
    )
    return email_build(
        name="digest",
        to=profile.user.email,
        context={
            "profile": profile,
            "day": day,
            "content": content,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": settings.HIVE_BASE_URL + reverse("digests:settings"),
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


DIGEST_KIND = MailKind(name=DIGEST, prepare=_prepare, build=_build, prepare_batch=_prepare_batch)
