"""Celery adapters for projects."""

from celery import shared_task
from django.db import OperationalError

from projects import services


@shared_task(name="projects.embed", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True)
def project_embed(project_id: int) -> int:
    """Idempotent: (re)computes one project's sentence vector from its current name and summary."""
    return services.project_embeddings_compute(project_ids=[project_id])


@shared_task(
    name="projects.embeddings_backfill", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def project_embeddings_backfill() -> int:
    """Idempotent: vectors for projects that have none of the current model (hourly)."""
    return services.project_embeddings_backfill()
