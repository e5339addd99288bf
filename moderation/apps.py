from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from common.screening import text_check_register
        from moderation.rules import profile_text_check

        # Profile text (profiles sits below moderation) goes through the rules' blocks by this seam.
        text_check_register(profile_text_check)
