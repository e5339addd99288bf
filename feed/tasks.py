"""Celery adapters for the feed: plain values in, a service call, nothing else."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from common.days import company_yesterday
from feed import digest


@shared_task(name="feed.digest_send_daily")
def digest_send_daily() -> None:
    """Beat's morning job: yesterday's digest for everyone."""
    digest_send_day.delay(company_yesterday().isoformat())


@shared_task(
    name="feed.digest_send_day", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def digest_send_day(day_iso: str) -> int:
    """Fan out one batch task per HIVE_DIGEST_BATCH_SIZE recipients still owed this day's digest."""
    day = date.fromisoformat(day_iso)
    ids = digest.digest_recipient_ids(day=day)
    size = settings.HIVE_DIGEST_BATCH_SIZE
    for start in range(0, len(ids), size):
        digest_send_batch.delay(day_iso, ids[start : start + size])
    return len(ids)


@shared_task(
    name="feed.digest_send_batch",
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def digest_send_batch(day_iso: str, profile_ids: list[int]) -> int:
    return digest.digest_send_batch(day=date.fromisoformat(day_iso), profile_ids=profile_ids)
