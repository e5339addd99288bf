from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared helpers, template filters and the task outbox."""

    name = "common"
