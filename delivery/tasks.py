"""Celery adapters for the delivery path: plain ids in, a service call, nothing else."""

from celery import shared_task
from django.db import OperationalError

from delivery import services


@shared_task(
    bind=True,
    name="delivery.send_batch",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=8,  # past that the sweeper keeps trying, one lease at a time
)
def delivery_send_batch(self, message_ids: list[int]) -> dict[str, int]:
    try:
        return services.delivery_send(message_ids=message_ids)
    except services.DeliveryInterrupted as interrupted:
        # The mail server is away: wait as long as the message that met it does, not a fixed second.
        raise self.retry(
            exc=interrupted, countdown=services.delivery_backoff(self.request.retries + 1)
        ) from interrupted


@shared_task(name="delivery.sweep", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def delivery_sweep() -> int:
    """Beat's every-minute job: queue again what a dead worker, a lost task or a backoff left owed."""
    return services.delivery_queue()
