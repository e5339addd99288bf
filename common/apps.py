from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared helpers and template filters; no models."""

    name = "common"
