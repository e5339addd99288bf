"""Celery adapters for recognition."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from recognition import services


@shared_task(
    name="recognition.allowance_reset", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def allowance_reset(day_iso: str | None = None) -> int:
    """Daily: idempotent, so it also grants newcomers their allowance the day after they join."""
    return services.allowance_reset(today=date.fromisoformat(day_iso) if day_iso else None)
