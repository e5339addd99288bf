"""The daily digest: the day's top posts, emailed once to each opted-in employee."""

import logging
import smtplib
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from common.days import day_bounds
from common.email import email_build
from feed.models import DigestDelivery, Post
from feed.selectors import public_posts
from profiles.models import Profile
from profiles.services import profile_digest_unsubscribe

log = logging.getLogger(__name__)

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
    """Opted-in, active people who have not had this day's digest yet."""
    return list(
        Profile.objects.filter(digest_opt_in=True, user__is_active=True)
        .exclude(digests__day=day)
        .order_by("id")
        .values_list("id", flat=True)
    )


def unsubscribe_token(profile_id: int) -> str:
    return signing.dumps(profile_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_profile_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def digest_send_batch(*, day: date, profile_ids: list[int]) -> int:
    """Send the day's digest to these people; returns how many were sent now.

    The batch first claims its recipients by committing their DigestDelivery rows: if the rows
    already exist (a rerun, or a second worker) nobody is mailed twice. Messages then go out one by
    one on one SMTP connection. An address the server refuses is logged and skipped (retrying would
    fail again and hold up everyone after it); any other failure (server down, connection lost)
    releases the claims of the people not yet mailed and re-raises, so the task's retry reaches
    them without mailing anyone a second time.
    """
    posts = digest_top_posts(day=day)
    if not posts:
        return 0
    recipients = _digest_claim(day=day, profile_ids=profile_ids, post_count=len(posts))
    done = sent = 0
    try:
        with get_connection() as connection:
            for profile in recipients:
                try:
                    connection.send_messages([_digest_message(profile=profile, day=day, posts=posts)])
                    sent += 1
                except smtplib.SMTPRecipientsRefused:
                    log.warning("digest %s: the mail server refused %s", day, profile.user.email)
                done += 1
    except Exception:
        unsent = [p.pk for p in recipients[done:]]
        DigestDelivery.objects.filter(day=day, profile_id__in=unsent).delete()
        log.warning("digest %s: sending stopped; %d claims released for the retry", day, len(unsent))
        raise
    return sent


def _digest_claim(*, day: date, profile_ids: list[int], post_count: int) -> list[Profile]:
    """Commit a DigestDelivery row for each of these people still owed the day's digest."""
    with transaction.atomic():
        already = set(
            DigestDelivery.objects.filter(day=day, profile_id__in=profile_ids).values_list(
                "profile_id", flat=True
            )
        )
        recipients = list(
            Profile.objects.filter(
                pk__in=set(profile_ids) - already, digest_opt_in=True, user__is_active=True
            )
            .select_related("user")
            .order_by("id")
        )
        if not recipients:
            return []
        try:
            with transaction.atomic():
                DigestDelivery.objects.bulk_create(
                    [DigestDelivery(profile=p, day=day, post_count=post_count) for p in recipients]
                )
        except IntegrityError:
            log.info("digest %s: batch already claimed by another worker", day)
            return []
    return recipients


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
