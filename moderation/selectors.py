"""Reads for the review queue and the guidelines pages."""

from django.core.cache import cache
from django.db.models import Prefetch

from common.pagination import Page, keyset_page
from moderation.guidelines_text import ClauseText, guidelines_source
from moderation.models import AuditEntry, Case, Flag, GuidelineClause, GuidelineVersion


def queue_page(*, cursor: str | None, size: int = 25) -> Page:
    """Open cases, highest weighted score first (flags from people with a good record count more),
    then oldest, so equal cases are seen in turn."""
    qs = (
        Case.objects.filter(status=Case.Status.OPEN)
        .select_related("content_type", "content_author")
        .prefetch_related(
            Prefetch(
                "flags", queryset=Flag.objects.select_related("flagger", "clause").order_by("created_at")
            ),
            "content_object",
        )
    )
    return keyset_page(
        qs, keys=("score", "opened_at", "id"), cursor=cursor, size=size, descending=(True, False, False)
    )


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


# --- Guidelines ----------------------------------------------------------------------------------

_CLAUSES_KEY = "moderation:current-clauses"


def guidelines_current() -> GuidelineVersion | None:
    """The version in force, with its clauses loaded; None before any is published."""
    return (
        GuidelineVersion.objects.select_related("published_by")
        .prefetch_related(Prefetch("clauses", queryset=GuidelineClause.objects.order_by("number")))
        .order_by("-number")
        .first()
    )


def guidelines_version(*, number: int) -> GuidelineVersion | None:
    return (
        GuidelineVersion.objects.select_related("published_by")
        .prefetch_related(Prefetch("clauses", queryset=GuidelineClause.objects.order_by("number")))
        .filter(number=number)
        .first()
    )


def guidelines_versions() -> list[GuidelineVersion]:
    return list(GuidelineVersion.objects.select_related("published_by").order_by("-number"))


def current_clause_choices() -> list[tuple[int, int, str]]:
    """(id, number, title) of the current clauses, for every flag form on a page.

    Cached: a feed page has a flag form per post and comment, and the guidelines rarely change
    (guidelines_publish clears this after commit)."""
    cached = cache.get(_CLAUSES_KEY)
    if cached is None:
        version = GuidelineVersion.objects.order_by("-number").values_list("pk", flat=True).first()
        cached = list(
            GuidelineClause.objects.filter(version_id=version)
            .order_by("number")
            .values_list("id", "number", "title")
        )
        cache.set(_CLAUSES_KEY, cached, 3600)
    return [tuple(row) for row in cached]


def current_clauses_forget() -> None:
    cache.delete(_CLAUSES_KEY)


def clause_texts(version: GuidelineVersion) -> list[ClauseText]:
    return [ClauseText(c.title, c.body) for c in version.clauses.all()]


def guidelines_document(version: GuidelineVersion | None) -> str:
    """The Markdown an editor starts from."""
    if version is None:
        return ""
    return guidelines_source(version.preamble, clause_texts(version))
