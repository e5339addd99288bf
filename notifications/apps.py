from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (and their email copies) for mentions, replies, reactions, kudos, groups."""

    name = "notifications"
