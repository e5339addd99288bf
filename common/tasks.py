from celery import shared_task
from django.db import OperationalError

from common.outbox import outbox_relay as relay


@shared_task(
    name="common.outbox_relay", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def outbox_relay() -> int:
    return relay()


@shared_task(
    name="common.text_vectors_compute", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def text_vectors_compute(kind: str, object_id: int) -> int:
    """Idempotent: (re)computes one row's sentence vector from its current text."""
    from common.similar_text import vectors_compute

    return vectors_compute(kind=kind, ids=[object_id])


@shared_task(
    name="common.text_vectors_backfill", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def text_vectors_backfill(limit: int = 5000) -> int:
    """Idempotent: vectors for rows of every registered kind that have none of the current model
    (hourly): rows that came in without a service (bulk loads), a failed task, a changed model."""
    from common.similar_text import kinds, vectors_backfill

    return sum(vectors_backfill(kind=name, limit=limit) for name in kinds())
