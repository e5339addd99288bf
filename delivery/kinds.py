"""The kinds of bulk email the delivery path sends: each app registers its own in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage

from profiles.models import Profile


class Skip(Exception):
    """Raised by a kind's `build` when this person should not get the message after all (opted out,
    left the group); the message is recorded as skipped with the reason."""


@dataclass(frozen=True)
class MailKind:
    name: str
    # period -> what every message of the period shares (the day's top posts, the week's figures);
    # computed once per batch, not once per person.
    prepare: Callable[[str], Any]
    # (profile, period, prepared, ref) -> the message; raise Skip(reason) to send nothing.
    build: Callable[..., EmailMessage]
    # (period, prepare's result, the batch's people, their messages' refs) -> what `build` gets as
    # `prepared` instead: each person's content loaded for the whole batch at once, so a batch costs
    # the same few queries whatever its size.
    prepare_batch: Callable[[str, Any, list[Profile], list[int]], Any] | None = None


_KINDS: dict[str, MailKind] = {}


def kind_register(kind: MailKind) -> None:
    _KINDS[kind.name] = kind


def kind_get(name: str) -> MailKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no mail kind {name!r} is registered (is its app installed?)") from None
