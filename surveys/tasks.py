"""Celery adapters for pulse surveys: plain ids in, a service call, nothing else."""

from celery import shared_task
from django.db import OperationalError

from surveys.services import survey_notify_all


@shared_task(name="surveys.notify", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def survey_notify(survey_id: int) -> int:
    """Tell a sent survey's audience, in batches; safe to run twice (services.survey_notify_batch)."""
    return survey_notify_all(survey_id=survey_id)
