from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py seed_demo`: a believable company to try Hive with. No models of its own."""

    name = "demo"
    verbose_name = "Demo data"
