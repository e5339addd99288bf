# The part of django-taggit 6 that Hive uses: django-taggit ships no type information.
from typing import Any, ClassVar, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)

class NaturalKeyManager(models.Manager[_M]):
    def get_by_natural_key(self, *args: Any) -> _M: ...

class NaturalKeyModel(models.Model):
    def natural_key(self) -> tuple[Any, ...]: ...

class TagBase(NaturalKeyModel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    natural_key_fields: ClassVar[list[str]]
    objects: ClassVar[NaturalKeyManager[Any]]
    def slugify(self, tag: str, i: int | None = None) -> str: ...

class Tag(TagBase): ...

class ItemBase(models.Model):
    @classmethod
    def tag_model(cls) -> type[TagBase]: ...
    @classmethod
    def tags_for(
        cls, model: type[models.Model], instance: models.Model | None = None, **extra_filters: Any
    ) -> models.QuerySet[Any]: ...

class TaggedItemBase(ItemBase): ...
