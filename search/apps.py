from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search box over people, skills and projects, and the expert finder."""

    name = "search"
