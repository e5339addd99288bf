"""Celery adapters for the feed: plain values in, a service call, nothing else."""

from celery import shared_task
from django.db import OperationalError

from feed import acknowledgements, scheduling


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
