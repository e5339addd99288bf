"""Reads for the review queue and the guidelines pages."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from common.pagination import Page, keyset_page
from moderation.guidelines_text import ClauseText, guidelines_changes, guidelines_source
from moderation.models import (
    QUEUE_STATUSES,
    Appeal,
    AuditEntry,
    Case,
    Flag,
    FlagReason,
    GuidelineAcceptance,
    GuidelineClause,
    GuidelineVersion,
    Suspension,
)
from moderation.rules_models import RuleHit


@dataclass(frozen=True)
class QueueFilter:
    """What a moderator narrows the queue to; every field optional, from the query string."""

    reason: str = ""  # "spam", "other", or "clause" (any clause)
    clause_id: int | None = None
    kind: str = ""  # a content type's model name: post, comment...
    status: str = ""  # open, appealed, escalated
    group_id: int | None = None  # the group the content was written in

    @classmethod
    def from_query(cls, query) -> "QueueFilter":
        clause = query.get("clause", "")
        status = query.get("status", "")
        reason = query.get("reason", "")
        group = query.get("group", "")
        return cls(
            reason=reason if reason in FlagReason.values else "",
            clause_id=int(clause) if clause.isdigit() else None,
            kind=query.get("kind", "")[:50],
            status=status if status in QUEUE_STATUSES else "",
            group_id=int(group) if group.isdigit() and len(group) < 19 else None,
        )

    def as_query(self) -> str:
        pairs = {
            "reason": self.reason,
            "clause": self.clause_id or "",
            "kind": self.kind,
            "status": self.status,
            "group": self.group_id or "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def queue_page(
    *, cursor: str | None, size: int = 25, filters: QueueFilter | None = None, admin: bool = False
) -> Page:
    """Cases waiting for a moderator: new, appealed, and (for admins) escalated ones. Highest priority
    first (the flags' weighted score, raised by how many people can read the content), then oldest, so
    equal cases are seen in turn. A fixed number of queries, whatever the size of the queue; the
    partial indexes case_waiting_priority_idx and (one group) case_waiting_group_idx serve the order."""
    filters = filters or QueueFilter()
    statuses = [s for s in QUEUE_STATUSES if admin or s != Case.Status.ESCALATED]
    qs = Case.objects.filter(status__in=[filters.status] if filters.status in statuses else statuses)
    if filters.kind:
        qs = qs.filter(content_type__model=filters.kind)
    if filters.group_id:
        qs = qs.filter(group_id=filters.group_id)
    if filters.reason or filters.clause_id:
        flags = Flag.objects.filter(case=OuterRef("pk"))
        if filters.reason:
            flags = flags.filter(reason=filters.reason)
        if filters.clause_id:
            flags = flags.filter(clause_id=filters.clause_id)
        qs = qs.filter(Exists(flags))
    qs = qs.select_related("content_type", "content_author", "claimed_by").prefetch_related(
        Prefetch("flags", queryset=Flag.objects.select_related("flagger", "clause").order_by("created_at")),
        # Which automatic rules sent it here, with what they matched (masked for confidential data).
        Prefetch("rule_hits", queryset=RuleHit.objects.order_by("created_at", "id")),
        "content_object",
    )
    return keyset_page(
        qs, keys=("priority", "opened_at", "id"), cursor=cursor, size=size, descending=(True, False, False)
    )


@dataclass(frozen=True)
class QueueCounts:
    by_status: dict[str, int]  # and "all"
    groups: list[tuple[int, str, int]]  # (group id, name, cases waiting), for the group filter


def queue_counts(*, admin: bool) -> QueueCounts:
    """How many cases wait, by status, and which groups they come from: one grouped query."""
    rows = (
        Case.objects.filter(status__in=QUEUE_STATUSES)
        .values_list("status", "group_id", "group_name")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status: dict[str, int] = {}
    groups: dict[int, list] = {}
    for status, group_id, group_name, n in rows:
        if not admin and status == Case.Status.ESCALATED:
            continue
        by_status[status] = by_status.get(status, 0) + n
        if group_id is not None:
            group = groups.setdefault(group_id, [group_id, group_name, 0])
            group[2] += n
    counts = {s: by_status.get(s, 0) for s in QUEUE_STATUSES if admin or s != Case.Status.ESCALATED}
    counts["all"] = sum(counts.values())
    ordered = sorted((tuple(g) for g in groups.values()), key=lambda g: (str(g[1]).casefold(), g[0]))
    return QueueCounts(by_status=counts, groups=ordered)


def clauses_for_filter() -> list[GuidelineClause]:
    """Clauses cited by waiting flags' guidelines: the current version's, for the filter menu."""
    return list(
        GuidelineClause.objects.filter(version__number=Subquery(_latest_version_number())).order_by("number")
    )


def _latest_version_number():
    return GuidelineVersion.objects.order_by("-number").values("number")[:1]


# --- A case ---------------------------------------------------------------------------------------


def case_detail(*, case_id: int) -> Case | None:
    return (
        Case.objects.select_related(
            "content_type", "content_author", "decided_by", "claimed_by", "clause__version"
        )
        .prefetch_related(
            Prefetch(
                "flags", queryset=Flag.objects.select_related("flagger", "clause").order_by("created_at")
            ),
            Prefetch("rule_hits", queryset=RuleHit.objects.order_by("created_at", "id")),
            "content_object",
        )
        .filter(pk=case_id)
        .first()
    )


def case_appeal(*, case: Case) -> Appeal | None:
    return Appeal.objects.select_related("decided_by").filter(case=case).first()


def flagger_records(*, flagger_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each flagger's past flags by outcome, in one grouped query."""
    records: dict[int, dict[str, int]] = {
        pk: {"upheld": 0, "rejected": 0, "pending": 0} for pk in flagger_ids
    }
    rows = (
        Flag.objects.filter(flagger_id__in=flagger_ids)
        .values_list("flagger_id", "outcome")
        .annotate(n=Count("id"))
    )
    for flagger_id, outcome, n in rows:
        records[flagger_id][outcome] = n
    return records


def author_past_cases(*, case: Case, limit: int = 10) -> list[Case]:
    """The author's other cases, newest first: a pattern, or a first time."""
    return list(
        Case.objects.filter(content_author_id=case.content_author_id)
        .exclude(pk=case.pk)
        .select_related("content_type", "clause", "decided_by")
        .order_by("-opened_at")[:limit]
    )


def suspension_active(*, profile_id: int) -> Suspension | None:
    now = timezone.now()
    return (
        Suspension.objects.filter(profile_id=profile_id, ends_at__gt=now, lifted_at__isnull=True)
        .order_by("-ends_at")
        .first()
    )


def recent_decisions(*, limit: int = 20) -> list[Case]:
    return list(
        Case.objects.filter(decided_at__isnull=False)
        .exclude(status__in=[*QUEUE_STATUSES, Case.Status.WITHDRAWN])
        .select_related("content_type", "content_author", "decided_by", "clause")
        .order_by("-decided_at")[:limit]
    )


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


def request_clause_choices(request) -> list[tuple[int, int, str]]:
    """current_clause_choices once per request, not once per flag form: a page of 40 questions made
    40 cache round trips."""
    if request is None:
        return current_clause_choices()
    memo = vars(request)
    if "_flag_clauses" not in memo:
        memo["_flag_clauses"] = current_clause_choices()
    return memo["_flag_clauses"]


def current_clauses_forget() -> None:
    cache.delete(_CLAUSES_KEY)


def clause_texts(version: GuidelineVersion) -> list[ClauseText]:
    return [ClauseText(c.title, c.body) for c in version.clauses.all()]


def guidelines_document(version: GuidelineVersion | None) -> str:
    """The Markdown an editor starts from."""
    if version is None:
        return ""
    return guidelines_source(version.preamble, clause_texts(version))


# --- Published figures: how consistent and how fast moderation is -------------------------------------


@dataclass
class ModeratorFigures:
    name: str
    decisions: dict[str, int]
    total: int
    appeals: int
    overturned: int
    median_hours: float | None

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.appeals if self.appeals else None


@dataclass
class Figures:
    days: int
    opened: int
    decided: int
    waiting_now: int
    first_action: tuple[float | None, float | None]  # median, 90th percentile, in hours
    resolution: tuple[float | None, float | None]
    backlog: list[tuple[date, int]]  # cases waiting at the end of each day
    per_clause: list[tuple[str, dict[str, int], int]]  # clause label, decisions by kind, total
    appeals: int
    overturned: int
    moderators: list[ModeratorFigures]

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.appeals if self.appeals else None


def _hours(delta) -> float:
    return delta.total_seconds() / 3600


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the same on PostgreSQL and SQLite, and exact for small counts."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def moderation_figures(*, days: int = 30) -> Figures:
    """The figures the moderation page publishes over the last `days`: five queries, whatever the volume
    (the rows of one period are read once and counted here)."""
    now = timezone.now()
    start = now - timedelta(days=days)
    # Every case that was waiting at some point in the period: opened before its end, not closed before it.
    rows = list(
        Case.objects.filter(opened_at__lte=now)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=start))
        .values_list("opened_at", "first_action_at", "decided_at", "status", "decision")
    )
    opened = [r for r in rows if r[0] >= start]
    first_action = [_hours(r[1] - r[0]) for r in opened if r[1] is not None]
    decided = [r for r in rows if r[2] is not None and r[2] >= start and r[4]]
    resolution = [_hours(r[2] - r[0]) for r in decided if r[2] is not None]
    backlog = []
    for n in range(days, -1, -1):
        end = now - timedelta(days=n)
        waiting = sum(1 for r in rows if r[0] <= end and (r[2] is None or r[2] > end))
        backlog.append((timezone.localdate(end), waiting))
    waiting_now = Case.objects.filter(status__in=QUEUE_STATUSES).count()

    per_clause: dict[str, dict[str, int]] = {}
    clause_rows = (
        Case.objects.filter(decided_at__gte=start)
        .exclude(decision="")
        .values_list("clause__version__number", "clause__number", "clause__title", "decision")
        .annotate(n=Count("id"))
    )
    for version, number, title, decision, n in clause_rows:
        label = f"{number}. {title} (v{version})" if number else "No guideline cited"
        per_clause.setdefault(label, {})[decision] = n

    appeal_rows = list(
        Appeal.objects.filter(decided_at__gte=start)
        .values_list("case__decided_by_id", "outcome")
        .annotate(n=Count("id"))
    )
    by_moderator: dict[int, ModeratorFigures] = {}
    decision_rows = list(
        Case.objects.filter(decided_at__gte=start, decided_by__isnull=False)
        .exclude(decision="")
        .values_list("decided_by_id", "decided_by__display_name", "decision", "opened_at", "decided_at")
    )
    durations: dict[int, list[float]] = {}
    for moderator_id, name, decision, opened_at, decided_at in decision_rows:
        figures = by_moderator.setdefault(moderator_id, ModeratorFigures(name, {}, 0, 0, 0, None))
        figures.decisions[decision] = figures.decisions.get(decision, 0) + 1
        figures.total += 1
        if decided_at is not None:  # filtered on decided_at: always set, but the type says otherwise
            durations.setdefault(moderator_id, []).append(_hours(decided_at - opened_at))
    for moderator_id, values in durations.items():
        by_moderator[moderator_id].median_hours = _percentile(values, 0.5)
    for moderator_id, outcome, n in appeal_rows:
        if moderator_id in by_moderator:
            by_moderator[moderator_id].appeals += n
            if outcome == Appeal.Outcome.OVERTURNED:
                by_moderator[moderator_id].overturned += n
    return Figures(
        days=days,
        opened=len(opened),
        decided=len(decided),
        waiting_now=waiting_now,
        first_action=(_percentile(first_action, 0.5), _percentile(first_action, 0.9)),
        resolution=(_percentile(resolution, 0.5), _percentile(resolution, 0.9)),
        backlog=backlog,
        per_clause=sorted(
            ((label, counts, sum(counts.values())) for label, counts in per_clause.items()),
            key=lambda row: -row[2],
        ),
        appeals=sum(n for _, outcome, n in appeal_rows if outcome != Appeal.Outcome.PENDING),
        overturned=sum(n for _, outcome, n in appeal_rows if outcome == Appeal.Outcome.OVERTURNED),
        moderators=sorted(by_moderator.values(), key=lambda m: (-m.total, m.name)),
    )


def guidelines_changes_for(*, profile_id: int, version: GuidelineVersion) -> tuple[int | None, bool, list]:
    """(the newest version this person accepted, whether that is `version`, what changed since then)."""
    accepted = (
        GuidelineAcceptance.objects.filter(profile_id=profile_id)
        .order_by("-version__number")
        .values_list("version__number", flat=True)
        .first()
    )
    if accepted is None or accepted == version.number:
        return accepted, accepted == version.number, []
    before = GuidelineClause.objects.filter(version__number=accepted).order_by("number")
    return (
        accepted,
        False,
        guidelines_changes([ClauseText(c.title, c.body) for c in before], clause_texts(version)),
    )
