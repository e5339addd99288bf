from django.apps import AppConfig


class ExpertiseConfig(AppConfig):
    name = "expertise"
