"""Celery adapters for the delivery path: plain ids in, a service call, nothing else."""

from celery import shared_task
from django.db import OperationalError

from delivery import services


@shared_task(
    name="delivery.send_batch",
    acks_late=True,
    autoretry_for=(services.DeliveryInterrupted, OperationalError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,  # past that the sweeper keeps trying, one lease at a time
)
def delivery_send_batch(message_ids: list[int]) -> dict[str, int]:
    return services.delivery_send(message_ids=message_ids)


@shared_task(name="delivery.sweep", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def delivery_sweep() -> int:
    """Beat's every-minute job: queue again what a dead worker, a lost task or a backoff left owed."""
    return services.delivery_queue()
