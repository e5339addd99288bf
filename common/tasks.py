from celery import shared_task
from django.db import OperationalError

from common.outbox import outbox_relay as relay


@shared_task(
    name="common.outbox_relay", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def outbox_relay() -> int:
    return relay()
