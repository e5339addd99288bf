"""Celery adapters for analytics."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from analytics.services import rollup_fill
from common.days import company_yesterday


@shared_task(
    name="analytics.rollup_day", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def rollup_day(day_iso: str) -> int:
    """Idempotent: re-running a day rewrites that day."""
    return len(rollup_fill(day=date.fromisoformat(day_iso)))


@shared_task(name="analytics.rollup_yesterday")
def rollup_yesterday() -> None:
    rollup_day.delay(company_yesterday().isoformat())
