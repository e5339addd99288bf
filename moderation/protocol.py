"""What moderation needs of any content it works on, so it never imports the apps that own it.

A moderatable model has an `author` (a Profile), `removed_at` / `removed_by` fields that hide it
from everyone when set, `get_absolute_url()`, and `moderation_excerpt()` returning plain text.
Which models take part is the setting HIVE_MODERATABLE_MODELS ("app_label.ModelName").
"""

from typing import Protocol

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType


class Moderatable(Protocol):
    pk: int
    author_id: int

    def get_absolute_url(self) -> str: ...

    def moderation_excerpt(self) -> str: ...


def moderatable_content_types() -> list[ContentType]:
    models = [apps.get_model(label) for label in settings.HIVE_MODERATABLE_MODELS]
    return list(ContentType.objects.get_for_models(*models).values())


def is_moderatable(content_type: ContentType) -> bool:
    return (
        f"{content_type.app_label}.{content_type.model_class().__name__}" in settings.HIVE_MODERATABLE_MODELS
    )
