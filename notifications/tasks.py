"""Celery adapters for notifications: plain ids in, a service call, nothing else."""

from celery import shared_task
from django.db import OperationalError

from notifications.emails import notifications_email_send


@shared_task(
    name="notifications.email", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def notifications_email(notification_ids: list[int]) -> int:
    """Plan these notifications' emails and queue them to delivery.send_batch (which sends each once)."""
    return notifications_email_send(notification_ids=notification_ids)
