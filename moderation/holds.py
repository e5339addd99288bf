"""Held content: hidden from everyone but its author (and moderators) until a moderator approves it.

An automatic rule, a new member's first posts or enough weighted flags can hold a post or a comment.
The app that owns the content registers, from its AppConfig.ready(), how to hold one and how to release
it, so publishing keeps its own side effects (@mention notifications, counts, live feeds) in that app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from moderation.protocol import model_of

# hold(object_id=...) hides a published piece; release(object_id=..., moderator=..., announce=...) publishes
# a held one: announce=True for content never yet seen (held when written: its @mentions, replies and
# kudos are announced now), False for content shown before and hidden after flags (it comes back as it
# was, announcing nothing twice). Both are no-ops when the content is already in the wanted state (or gone).
HoldFunction = Callable[..., None]


@dataclass(frozen=True)
class Holdable:
    hold: HoldFunction
    release: HoldFunction


_registry: dict[str, Holdable] = {}


def holdable_register(model: type[models.Model], *, hold: HoldFunction, release: HoldFunction) -> None:
    _registry[model._meta.label_lower] = Holdable(hold=hold, release=release)


def _holdable(content_type: ContentType) -> Holdable | None:
    return _registry.get(model_of(content_type)._meta.label_lower)


def content_hold(content_type: ContentType, *, object_id: int) -> bool:
    """Hide it pending review; False when this kind of content cannot be held."""
    holdable = _holdable(content_type)
    if holdable is None:
        return False
    holdable.hold(object_id=object_id)
    return True


def can_hold(content_type: ContentType) -> bool:
    return _holdable(content_type) is not None


def content_release(content_type: ContentType, *, object_id: int, moderator, announce: bool = True) -> None:
    holdable = _holdable(content_type)
    if holdable is not None:
        holdable.release(object_id=object_id, moderator=moderator, announce=announce)


def case_kept(*, case, moderator) -> None:
    """A moderator approved the content of `case`: held content is published now (a no-op otherwise).
    Content hidden after enough flags was published before: it comes back without a second announcement."""
    content_release(
        case.content_type, object_id=case.object_id, moderator=moderator, announce=case.hidden_at is None
    )
