"""Search's scheduled job: keeping the zero-result counts to their retention period."""

from celery import shared_task
from django.db import OperationalError

from search.services import zero_results_prune


@shared_task(
    name="search.zero_results_prune", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def zero_results_prune_task() -> int:
    return zero_results_prune()
