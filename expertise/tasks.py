"""Celery adapters for expertise."""

from celery import shared_task
from django.db import OperationalError

from expertise import services


@shared_task(
    name="expertise.skills_people_recount",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
)
def skills_people_recount() -> int:
    """Idempotent: sets each skill's count of people from the rows, whatever it was."""
    return services.skills_people_recount()
