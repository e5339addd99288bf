"""Celery adapters for the feed: plain values in, a service call, nothing else."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from common.days import company_yesterday
from feed import acknowledgements, digest, scheduling


@shared_task(name="feed.digest_send_daily")
def digest_send_daily() -> None:
    """Beat's morning job: yesterday's digest for everyone."""
    digest_send_day.delay(company_yesterday().isoformat())


@shared_task(
    name="feed.digest_send_day", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def digest_send_day(day_iso: str) -> int:
    """Record who is owed this day's digest and queue them in batches of HIVE_DIGEST_BATCH_SIZE
    (delivery.send_batch tasks); safe to run again, it queues only what is still owed."""
    return digest.digest_send(day=date.fromisoformat(day_iso))


@shared_task(
    name="feed.acknowledgement_reminders",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
)
def acknowledgement_reminders() -> int:
    """Beat's daily job: the one reminder of a must-read announcement; safe to run twice."""
    return acknowledgements.acknowledgement_reminders_send()


@shared_task(
    name="feed.scheduled_posts_publish", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def scheduled_posts_publish() -> int:
    """Beat's every-minute job: publish the scheduled posts that are due; safe to run twice."""
    return scheduling.scheduled_posts_publish()
