from celery import shared_task
from django.db import OperationalError

from notifications.emails import notifications_email_send


@shared_task(
    name="notifications.email",
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def notifications_email(notification_ids: list[int]) -> int:
    return notifications_email_send(notification_ids=notification_ids)
