"""Celery adapters for the digest: plain values in, a service call, nothing else."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from common.days import company_yesterday
from digests import mail


@shared_task(name="digests.send_daily")
def digest_send_daily() -> None:
    """Beat's morning job: the digest of everything up to last midnight, for everyone due one today."""
    digest_send_day.delay(company_yesterday().isoformat())


@shared_task(name="digests.send_day", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def digest_send_day(day_iso: str) -> int:
    """Record who is owed the digest up to the end of this day and queue them in batches of
    HIVE_DIGEST_BATCH_SIZE (delivery.send_batch tasks); safe to run again, it queues only what is owed."""
    return mail.digest_send(day=date.fromisoformat(day_iso))
