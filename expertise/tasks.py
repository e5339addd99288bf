"""Celery adapters for expertise."""

from celery import shared_task
from django.db import OperationalError

from expertise import services


@shared_task(
    name="expertise.people_counts_recount",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
)
def people_counts_recount() -> int:
    """Idempotent: sets each skill's and interest's count of people from the rows, whatever it was."""
    return services.people_counts_recount()
