"""Reads for the review dashboard."""

from django.db.models import Prefetch

from common.pagination import Page, keyset_page
from moderation.models import AuditEntry, Case, Flag


def queue_page(*, cursor: str | None, size: int = 25) -> Page:
    """Open cases, oldest first, so nothing waits forever."""
    qs = (
        Case.objects.filter(status=Case.Status.OPEN)
        .select_related("content_type", "content_author")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("flagger").order_by("created_at")),
            "content_object",
        )
    )
    return keyset_page(qs, keys=("opened_at", "id"), cursor=cursor, size=size, descending=False)


def recent_decisions(*, limit: int = 20) -> list[Case]:
    return list(
        Case.objects.exclude(status=Case.Status.OPEN)
        .select_related("content_type", "content_author", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def open_case_count() -> int:
    return Case.objects.filter(status=Case.Status.OPEN).count()


def audit_recent(*, limit: int = 50) -> list[AuditEntry]:
    return list(AuditEntry.objects.select_related("actor", "content_type").order_by("-created_at")[:limit])


def case_exists(*, case_id: int) -> bool:
    return Case.objects.filter(pk=case_id).exists()
