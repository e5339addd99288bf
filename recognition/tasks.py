"""Celery adapters for recognition."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from recognition import counts, services


@shared_task(
    name="recognition.allowance_reset", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def allowance_reset(day_iso: str | None = None) -> int:
    """Daily: idempotent, so it also grants newcomers their allowance the day after they join."""
    return services.allowance_reset(today=date.fromisoformat(day_iso) if day_iso else None)


@shared_task(
    name="recognition.badges_award", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def badges_award(profile_ids: list[int] | None = None) -> int:
    """After a kudos (its giver and recipients) and nightly (everyone): idempotent, awards nobody twice."""
    return services.badges_award(profile_ids=profile_ids)


@shared_task(
    name="recognition.counts_repair", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def counts_repair(day_iso: str | None = None) -> int:
    """Nightly: checks the kudos counts against the kudos, correcting what differs. Idempotent, no lock."""
    return counts.kudos_counts_repair(today=date.fromisoformat(day_iso) if day_iso else None)


@shared_task(
    name="recognition.celebrations_post",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
)
def celebrations_post(day_iso: str | None = None) -> int:
    """Each morning: today's birthdays and work anniversaries, each posted once a year (idempotent)."""
    return services.celebrations_post(today=date.fromisoformat(day_iso) if day_iso else None)
