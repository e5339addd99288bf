"""The digest as a kind of bulk email (delivery/): who is owed it for a day, and each person's message."""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

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


@dataclass(frozen=True)
class Rendered:
    """A piece of the digest that is the same for every reader (a post's card, a section): rendered once
    per batch, HTML and text."""

    html: SafeString
    text: str


def _render(name: str, context: dict[str, Any]) -> Rendered:
    return Rendered(
        html=mark_safe(render_to_string(f"emails/{name}.html", context).strip()),  # noqa: S308 (rendered with autoescape)
        text=render_to_string(f"emails/{name}.txt", context).strip("\n"),
    )


def _parts_render(contents: Iterable[DigestContent | str]) -> None:
    """Give every section of the batch's digests its rendering, rendering each distinct section once
    and each post's card once: the day's popular posts are in nearly everyone's digest, and rendering
    costs more than the rest of a message."""
    cards: dict[int, Rendered] = {}
    sections: dict[tuple, Rendered] = {}
    for content in contents:
        if isinstance(content, str):
            continue
        for section in content.sections:
            key = (
                section.title,
                *(
                    (item.post.pk,) if item.post is not None else (item.text, item.url)
                    for item in section.items
                ),
            )
            rendered = sections.get(key)
            if rendered is None:
                for item in section.items:
                    if item.post is not None:
                        card = cards.get(item.post.pk)
                        if card is None:
                            card = cards[item.post.pk] = _render(
                                "_digest_post", {"post": item.post, "url": item.url}
                            )
                        item.card = card
                rendered = sections[key] = _render("_digest_section", {"section": section})
            section.rendered = rendered


def _prepare_batch(
    period: str, day: date, profiles: list[Profile], refs: list[int]
) -> dict[int, DigestContent | str]:
    contents = digest_contents(profile_ids=[p.pk for p in profiles], day=day)
    _parts_render(contents.values())
    return contents


def _build(*, profile: Profile, period: str, prepared: dict[int, Any], ref: int = 0):
    content = prepared.get(profile.pk)
    if content is None:
        raise Skip("no digest was prepared for this person")  # cannot happen: the batch prepares everyone
    if isinstance(content, str):
        raise Skip(content)
    return digest_message(profile=profile, day=date.fromisoformat(period), content=content)


@functools.lru_cache(maxsize=64)
def _day_label(day: date, language: str | None) -> str:
    """ "Monday 10 March", once per day and language: Django's date filter took ~0.1 ms three times a
    message (subject, text and HTML)."""
    return date_format(day, "l j F")


@functools.cache
def _paths() -> tuple[str, str, str]:
    """The settings page and the unsubscribe link around its token, reversed once: a reverse() per
    message costs more than signing the token."""
    marker = "TOKEN"
    head, tail = reverse("digests:unsubscribe", args=[marker]).rsplit(marker, 1)
    return reverse("digests:settings"), head, tail


def digest_message(*, profile: Profile, day: date, content: DigestContent):
    if any(section.rendered is None for section in content.sections):
        _parts_render([content])  # built alone, not in a batch
    settings_path, head, tail = _paths()
    unsubscribe_url = settings.HIVE_BASE_URL + head + unsubscribe_token(profile.pk) + tail
    return email_build(
        name="digest",
        to=profile.user.email,
        context={
            "profile": profile,
            "day": day,
            "content": content,
            "since": _day_label(timezone.localdate(content.since), translation.get_language()),
            "unsubscribe_url": unsubscribe_url,
            "settings_url": settings.HIVE_BASE_URL + settings_path,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


DIGEST_KIND = MailKind(name=DIGEST, prepare=_prepare, build=_build, prepare_batch=_prepare_batch)
