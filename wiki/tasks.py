"""Celery adapters for the wiki: plain values in, a service call, nothing else."""

from celery import shared_task
from django.db import OperationalError

from wiki import watches


@shared_task(name="wiki.edits_notify", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def edits_notify() -> int:
    """Beat's every-minute job: tell watchers of the pages edited and settled since; safe to run twice."""
    return watches.edits_notify_due()
