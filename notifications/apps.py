from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (and their email copies) for mentions, replies, reactions, kudos, groups."""

    name = "notifications"

    def ready(self) -> None:
        from delivery.kinds import kind_register
        from notifications import emails

        kind_register(emails.NOTIFICATION_KIND)
