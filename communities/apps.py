from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    """Groups: communities of interest, for work and for fun, public or private."""

    name = "communities"
    verbose_name = "Groups"
