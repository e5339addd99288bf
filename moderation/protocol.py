"""What moderation needs of any content it works on, so it never imports the apps that own it.

A moderatable model has an author (a Profile: `author_id` unless registered otherwise, e.g. a group's
`created_by_id`, or a profile's own `pk` for its text), a `removed_at` field or another named at
registration (set: a moderator hid it from everyone), `get_absolute_url()`, and `moderation_excerpt()`
returning plain text. The app that owns the model
registers it from its AppConfig.ready() with the function that removes one, so that app keeps
its own bookkeeping (a post's comment count, say) when a moderator removes something; and, if it can,
the functions that restore a removed one and list its earlier versions (the case page shows them).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models


class Moderatable(Protocol):
    pk: int

    def get_absolute_url(self) -> str: ...

    def moderation_excerpt(self) -> str: ...


# remove(object_id=..., moderator=..., at=...) hides the content; a no-op if it is already hidden.
RemoveFunction = Callable[..., None]
# readable(object_id=..., viewer=...) -> bool: may this person see it (private groups)?
ReadableFunction = Callable[..., bool]
# restore(object_id=..., moderator=...) shows again what a moderator removed (not what its author deleted).
RestoreFunction = Callable[..., None]
# history(object_id=...) -> [(written_at, text)], oldest first: what the content said before its edits.
HistoryFunction = Callable[..., list[tuple[datetime, str]]]
# edit(object_id=..., moderator=..., text=...) -> the text it replaced: a moderator's edit (a decision),
# ValidationError when this piece cannot be edited so; text(content) -> what the moderator starts from.
EditFunction = Callable[..., str]
TextFunction = Callable[[Any], str]
_registry: dict[str, RemoveFunction] = {}
_readable: dict[str, ReadableFunction] = {}
_restore: dict[str, RestoreFunction] = {}
_history: dict[str, HistoryFunction] = {}
_edit: dict[str, tuple[EditFunction, TextFunction]] = {}
# The field naming the content's author, and the one set when a moderator removed it.
_author_field: dict[str, str] = {}
_removed_field: dict[str, str] = {}
# What a decision acts on, in the author's notice ("group description"): the model's name by default.
_noun: dict[str, str] = {}


@dataclass(frozen=True)
class Reach:
    """Who can read a piece of content: what the review queue weighs (beside its flags) and filters by."""

    audience: int | None  # how many people can read it; None: everyone in the company
    group_id: int | None = None  # the group it was written in, if any
    group_name: str = ""


# reach(content) -> Reach. Without one, content is readable company-wide and in no group.
ReachFunction = Callable[[Any], Reach]
_reach: dict[str, ReachFunction] = {}


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def moderatable_register(
    model: type[models.Model],
    *,
    remove: RemoveFunction,
    readable: ReadableFunction,
    restore: RestoreFunction | None = None,
    history: HistoryFunction | None = None,
    edit: EditFunction | None = None,
    text: TextFunction | None = None,
    reach: ReachFunction | None = None,
    author_field: str = "author_id",
    removed_field: str = "removed_at",
    noun: str = "",
) -> None:
    _registry[_label(model)] = remove
    _author_field[_label(model)] = author_field
    _removed_field[_label(model)] = removed_field
    if noun:
        _noun[_label(model)] = noun
    _readable[_label(model)] = readable
    if restore is not None:
        _restore[_label(model)] = restore
    if history is not None:
        _history[_label(model)] = history
    if edit is not None:
        if text is None:
            raise TypeError("An editable kind says what text a moderator edits (text=...).")
        _edit[_label(model)] = (edit, text)
    if reach is not None:
        _reach[_label(model)] = reach


def model_of(content_type: ContentType) -> type[models.Model]:
    model = content_type.model_class()
    if model is None:
        raise LookupError(f"{content_type.app_label}.{content_type.model} is not an installed model")
    return model


def author_id_of(content: Moderatable) -> int:
    """Who wrote it: whose case it is, who may not flag it, who is told of a decision."""
    return getattr(content, _author_field.get(_label(type(content)), "author_id"))  # type: ignore[arg-type]


def removed_at_of(content: Moderatable):
    """When a moderator (or its author) removed it; None while it shows."""
    return getattr(content, _removed_field.get(_label(type(content)), "removed_at"), None)  # type: ignore[arg-type]


def content_type_of(content: Moderatable) -> ContentType:
    # Every Moderatable is a model instance: moderatable_register takes its model.
    return ContentType.objects.get_for_model(cast(models.Model, content))


def content_readable(content_type: ContentType, *, object_id: int, viewer) -> bool:
    """Only what a person can see can be flagged by them: private group content stays invisible."""
    return _readable[_label(model_of(content_type))](object_id=object_id, viewer=viewer)


def is_moderatable(content_type: ContentType) -> bool:
    model = content_type.model_class()
    return model is not None and _label(model) in _registry


def content_remove(content_type: ContentType, *, object_id: int, moderator, at: datetime) -> None:
    _registry[_label(model_of(content_type))](object_id=object_id, moderator=moderator, at=at)


def can_restore(content_type: ContentType) -> bool:
    model = content_type.model_class()
    return model is not None and _label(model) in _restore


def content_restore(content_type: ContentType, *, object_id: int, moderator) -> None:
    """Show again content a moderator removed; LookupError if its app cannot restore it."""
    restore = _restore.get(_label(model_of(content_type)))
    if restore is None:
        raise LookupError(f"{content_type.model} cannot be restored")
    restore(object_id=object_id, moderator=moderator)


def content_history(content_type: ContentType, *, object_id: int) -> list[tuple[datetime, str]]:
    history = _history.get(_label(model_of(content_type)))
    return history(object_id=object_id) if history is not None else []


def content_shown(content_type_id: int, *, object_id: int) -> tuple[ContentType, Moderatable] | None:
    """The registered content with this type and id, unless it is gone or removed; None otherwise."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    if not is_moderatable(content_type):
        return None
    model = model_of(content_type)
    removed = _removed_field.get(_label(model), "removed_at")
    content = cast(
        "Moderatable | None",
        model._default_manager.filter(pk=object_id, **{f"{removed}__isnull": True}).first(),
    )
    return None if content is None else (content_type, content)


def can_edit(content_type: ContentType) -> bool:
    model = content_type.model_class()
    return model is not None and _label(model) in _edit


def content_text(content_type: ContentType, content) -> str:
    """The whole text a moderator's edit starts from; empty for a kind that cannot be edited."""
    editable = _edit.get(_label(model_of(content_type)))
    return editable[1](content) if editable is not None else ""


def content_edit(content_type: ContentType, *, object_id: int, moderator, text: str) -> str:
    """A moderator rewrites the content; returns the text it replaced. LookupError if it can't be edited."""
    editable = _edit.get(_label(model_of(content_type)))
    if editable is None:
        raise LookupError(f"{content_type.model} cannot be edited")
    return editable[0](object_id=object_id, moderator=moderator, text=text)


def content_reach(content_type: ContentType, content) -> Reach:
    reach = _reach.get(_label(model_of(content_type)))
    return reach(content) if reach is not None else Reach(audience=None)


def registered_kinds() -> list[tuple[str, str]]:
    """(model name, verbose name) of every kind of content that can be flagged: the queue's kind filter."""
    from django.apps import apps

    kinds = []
    for label in _registry:
        model = apps.get_model(label)
        kinds.append((model._meta.model_name, str(model._meta.verbose_name)))
    return sorted(kinds, key=lambda kind: kind[1])


def content_noun(content_type: ContentType) -> str:
    """What a decision on this kind acts on, for its author: "post", "group description", "profile text"."""
    model = model_of(content_type)
    return _noun.get(_label(model), str(model._meta.verbose_name))
