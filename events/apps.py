from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Ask-me-anything events and town halls: questions before and during, votes, answers in place."""

    name = "events"

    def ready(self) -> None:
        from events import services
        from events.models import Question
        from events.selectors import question_readable
        from moderation.protocol import moderatable_register

        moderatable_register(
            Question, remove=services.question_remove_by_moderator, readable=question_readable
        )
