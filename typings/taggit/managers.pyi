# The part of django-taggit 6 that Hive uses: django-taggit ships no type information.
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.fields.related import RelatedField

class _TaggableManager(models.Manager[Any]):
    def add(
        self,
        *tags: Any,
        through_defaults: dict[str, Any] | None = None,
        tag_kwargs: dict[str, Any] | None = None,
    ) -> None: ...
    def set(
        self, tags: Iterable[Any], *, through_defaults: dict[str, Any] | None = None, clear: bool = False
    ) -> None: ...
    def remove(self, *tags: Any) -> None: ...
    def clear(self) -> None: ...
    def names(self) -> list[str]: ...
    def slugs(self) -> list[str]: ...

class TaggableManager(RelatedField[Any, _TaggableManager]):
    def __init__(
        self,
        verbose_name: str | None = None,
        help_text: str | None = None,
        through: type[models.Model] | str | None = None,
        blank: bool = False,
        related_name: str | None = None,
        to: type[models.Model] | None = None,
        manager: type[Any] = ...,
        ordering: list[str] | None = None,
    ) -> None: ...
