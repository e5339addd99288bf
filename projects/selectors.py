"""Reads of projects: the index, one project, someone's projects, and look-alikes of a draft."""

import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Case, Max, QuerySet, Value, When
from django.db.models.functions import Lower

from common import retrieval, sentence_embeddings
from common.pagination import Page, keyset_page
from common.vector_index import VectorIndex
from expertise.models import Skill
from profiles.models import Profile
from projects import similarity
from projects.models import Project, ProjectEmbedding, ProjectMember, ProjectTag, ProjectUpdate

# The candidate pool the database hands to the Python scoring; enough to hold the duplicate even
# when the draft shares common words with thousands of projects, small enough to score in a few ms.
CANDIDATE_LIMIT = 200
# SQLite (the demo) has no full-text index: scan this many recent projects instead.
SQLITE_SCAN_LIMIT = 2000


def _with_tags(qs: QuerySet[Project]) -> QuerySet[Project]:
    # One query for the tags of the whole page (Skill orders by name). taggit refuses a Prefetch
    # with a custom queryset, hence the plain lookup.
    return qs.prefetch_related("tags")  # type: ignore[misc]  # django-stubs cannot see taggit's manager


def projects_page(
    *,
    cursor: str | None,
    status: str | None = None,
    department_id: int | None = None,
    tag_slug: str | None = None,
    size: int = 20,
) -> Page:
    qs = Project.objects.select_related("department")
    if status:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if tag_slug:
        qs = qs.filter(tag_items__tag__slug=tag_slug)
    return keyset_page(_with_tags(qs), keys=("updated_at", "id"), cursor=cursor, size=size, descending=True)


def project_by_id(*, project_id: int) -> Project | None:
    """The project row alone, for actions on it (join, leave, members)."""
    return Project.objects.filter(pk=project_id).first()


def project_member_profiles(*, project_id: int, limit: int) -> list[Profile]:
    """Up to `limit` of the project's members who still work here, by name (kudos to a whole team)."""
    return list(
        Profile.objects.filter(project_memberships__project_id=project_id, user__is_active=True)
        .select_related("user")
        .order_by("display_name", "id")[:limit]
    )


def project_detail(*, project_id: int) -> Project | None:
    return (
        _with_tags(Project.objects.select_related("department", "created_by")).filter(pk=project_id).first()
    )


@dataclass
class ProjectMembers:
    leads: list[ProjectMember]
    others: list[ProjectMember]
    viewer_membership: ProjectMember | None

    @property
    def all(self) -> list[ProjectMember]:
        return [*self.leads, *self.others]


MEMBERS_SHOWN = 200


def project_members(*, project: Project, viewer: Profile | None) -> ProjectMembers:
    """Leads first, then members, then advisors, by name; capped so a 5,000-person project does
    not render 5,000 rows (the count is on the project)."""
    role_order = Case(
        When(role=ProjectMember.Role.LEAD, then=Value(0)),
        When(role=ProjectMember.Role.MEMBER, then=Value(1)),
        default=Value(2),
    )
    rows = list(
        ProjectMember.objects.filter(project=project)
        .select_related("profile__user", "profile__department")
        .order_by(role_order, "profile__display_name", "id")[:MEMBERS_SHOWN]
    )
    viewer_membership = None
    if viewer is not None:
        viewer_membership = next((m for m in rows if m.profile_id == viewer.pk), None)
        if viewer_membership is None and len(rows) == MEMBERS_SHOWN:
            viewer_membership = ProjectMember.objects.filter(project=project, profile=viewer).first()
    return ProjectMembers(
        leads=[m for m in rows if m.role == ProjectMember.Role.LEAD],
        others=[m for m in rows if m.role != ProjectMember.Role.LEAD],
        viewer_membership=viewer_membership,
    )


def project_updates_page(*, project: Project, cursor: str | None, size: int = 10) -> Page:
    qs = ProjectUpdate.objects.filter(project=project).select_related("author")
    return keyset_page(qs, keys=("created_at", "id"), cursor=cursor, size=size, descending=True)


def projects_of(*, profile: Profile, limit: int = 20) -> list[ProjectMember]:
    """Someone's memberships with their projects, most recently joined first."""
    return list(
        ProjectMember.objects.filter(profile=profile)
        .select_related("project")
        .order_by("-joined_at", "-id")[:limit]
    )


def profiles_by_email(*, emails: list[str]) -> dict[str, Profile]:
    lowered = [e.lower() for e in emails]
    return {
        p.user.email.lower(): p
        for p in Profile.objects.select_related("user").filter(user__email__in=lowered)
    }


# --- Look-alikes of a draft project ----------------------------------------------------------


# Words in more than this share of projects (per PostgreSQL's ANALYZE statistics) do not select
# candidates: ranking the thousands of rows that share "day" or "customer" cost ~90 ms at 20,000
# projects. They still count in the scoring.
COMMON_WORD_SHARE = 0.02


def _candidates_postgresql(*, name: str, summary: str, tags: list[str]) -> list[int]:
    """Ids of up to CANDIDATE_LIMIT projects sharing significant words, plus recent ones sharing a tag.

    The draft's words (with their synonyms) are stemmed by PostgreSQL, the most common ones are
    dropped using pg_stats.most_common_elems of the search_tsv column, and the rest are OR-ed into
    one tsquery served by the GIN index on the stored search_tsv column (migration 0002); ts_rank
    over the stored vectors keeps the best CANDIDATE_LIMIT. A trigram branch on names cost ~280 ms
    per call at 20,000 projects and found nothing the words did not, so there is none.
    """
    words = similarity.search_words(f"{name} {summary}")
    ids: list[int] = []
    if words:
        with connection.cursor() as cur:
            cur.execute(
                """
                WITH common AS (
                    SELECT e.lex FROM pg_stats s,
                        unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lex, freq)
                    WHERE s.tablename = 'projects_project' AND s.attname = 'search_tsv'
                        AND e.lex IS NOT NULL AND e.freq > %s  -- freqs has 3 extra trailing values
                ), wanted AS (
                    SELECT string_agg(quote_literal(lex), ' | ')::tsquery AS q
                    FROM unnest(tsvector_to_array(to_tsvector('english', %s))) AS lex
                    WHERE lex NOT IN (SELECT lex FROM common)
                )
                SELECT p.id FROM projects_project p, wanted
                WHERE wanted.q IS NOT NULL AND p.search_tsv @@ wanted.q
                ORDER BY ts_rank(p.search_tsv, wanted.q) DESC, p.id DESC
                LIMIT %s
                """,
                [COMMON_WORD_SHARE, " ".join(words), CANDIDATE_LIMIT],
            )
            ids.extend(r[0] for r in cur.fetchall())
    ids.extend(_tagged_ids(tags))
    return list(dict.fromkeys(ids))


def _tagged_ids(tags: list[str], limit: int = 50) -> list[int]:
    lowered = [t.lower() for t in tags if t.strip()]
    if not lowered:
        return []
    skills = Skill.objects.annotate(lname=Lower("name")).filter(lname__in=lowered).values("pk")
    return list(
        Project.objects.filter(tag_items__tag__in=skills)
        .order_by("-updated_at", "-id")
        .values_list("id", flat=True)[:limit]
    )


def _candidates_scan(*, name: str, summary: str, tags: list[str]) -> list[int]:
    """SQLite: recent projects sharing at least one scored word or tag (checked in Python)."""
    wanted = set(similarity.tokens(f"{name} {summary}"))
    rows = Project.objects.order_by("-updated_at", "-id").values_list("id", "name", "summary")[
        :SQLITE_SCAN_LIMIT
    ]
    ids = [pk for pk, n, s in rows if wanted & set(similarity.tokens(f"{n} {s}"))]
    ids.extend(_tagged_ids(tags))
    return list(dict.fromkeys(ids))[:CANDIDATE_LIMIT]


def _candidate_texts(ids: list[int]) -> tuple[dict[int, tuple[str, str]], dict[int, list[str]]]:
    """Name and summary, and tag names, of each project of `ids`. Words only: a few hundred model
    instances with their departments cost more than the scoring, so whole rows are read later for
    the few shown. On PostgreSQL one query with the ids as one array parameter (Django's `__in`
    spends ~1 ms of Python per look-up on a few hundred ids); tag names straight from the
    through-table either way (taggit's prefetch costs ~0.3 ms per project)."""
    texts: dict[int, tuple[str, str]] = {}
    tag_names: dict[int, list[str]] = {}
    if connection.vendor == "postgresql":
        tag_table = ProjectTag._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"""
                SELECT p.id, p.name, p.summary,
                    ARRAY(SELECT s.name FROM {tag_table} t JOIN {Skill._meta.db_table} s ON s.id = t.tag_id
                          WHERE t.content_object_id = p.id)
                FROM {Project._meta.db_table} p WHERE p.id = ANY(%s)
                """,
                [ids],
            )
            for pk, name, summary, names in cur.fetchall():
                texts[pk] = (name, summary)
                if names:
                    tag_names[pk] = names
        return texts, tag_names
    texts = {
        pk: (n, s) for pk, n, s in Project.objects.filter(pk__in=ids).values_list("pk", "name", "summary")
    }
    for project_id, tag_name in ProjectTag.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tag_names.setdefault(project_id, []).append(tag_name)
    return texts, tag_names


@dataclass
class Suggestion:
    project: Project
    score: float  # confidence that it is the same work, 0..1
    features: tuple[float, ...] = ()  # what the confidence was computed from, for the bench
    reasons: list[str] = field(default_factory=list)  # why it is shown, a few words each
    cosine: float | None = None  # closeness in meaning, with a sentence model


@dataclass
class LookAlikes:
    same: list[Suggestion]  # "possibly the same work"
    related: list[Suggestion]  # "related projects"
    considered: list[Suggestion]  # every candidate either tier was chosen from (bench, tests)


# Drafts longer than this are cut: the sentence model reads 256 word pieces, the words past a few
# paragraphs only add candidates that share one common word.
NAME_CHARS, SUMMARY_CHARS = 200, 3000


def project_look_alikes(
    *,
    name: str,
    summary: str = "",
    tags: list[str] | None = None,
    exclude_id: int | None = None,
    same_threshold: float | None = None,
    related_floor: float | None = None,
    department_id: int | None = None,
) -> LookAlikes:
    """Existing projects like the draft, in two tiers: "possibly the same work" and "related".

    Candidates: projects sharing significant words or a tag (the database's full-text index), plus
    the draft's nearest neighbours by meaning (common.retrieval) when a sentence model is on. A fixed
    number of queries whatever the size: the vectors' state, candidates, their rows, tags and the
    corpus size (the candidates' cosines come from the in-process index). Scoring is
    projects.similarity. `department_id`, the draft's department, only adds a reason ("same
    department") to the projects of that department: it decides nothing.
    """
    nothing = LookAlikes(same=[], related=[], considered=[])
    name, summary, tags = (
        (name or "").strip()[:NAME_CHARS],
        (summary or "").strip()[:SUMMARY_CHARS],
        tags or [],
    )
    if len(name) + len(summary) < 4:
        return nothing
    if connection.vendor == "postgresql":
        ids = _candidates_postgresql(name=name, summary=summary, tags=tags)
    else:
        ids = _candidates_scan(name=name, summary=summary, tags=tags)
    # One matrix product gives both the nearest projects and the cosines of the word candidates.
    found = retrieval.nearest_by_meaning(
        kind=PROJECT_KIND,
        text=similarity.embedding_text(name, summary),
        k=similarity.SEMANTIC_CANDIDATES + 1,
        also=ids,
    )
    semantic = {**found.also, **dict(found.rows)} if found.available else None
    near = [pk for pk, _ in found.rows]
    ids.extend(near)
    ids = list(dict.fromkeys(i for i in ids if i != exclude_id))
    if not ids:
        return nothing
    texts, tag_names = _candidate_texts(ids)
    if any(pk not in texts and pk != exclude_id for pk in near):
        model = sentence_embeddings.encoder()
        if model is not None:  # a neighbour was deleted: re-read the vectors at the next look-up
            projects_vector_index(model_name=model.name).discard()
    candidates = [
        similarity.Candidate(id=pk, name=n, summary=s, tags=tag_names.get(pk, []))
        for pk, (n, s) in texts.items()
    ]
    if semantic is not None:
        semantic = {pk: cos for pk, cos in semantic.items() if pk in texts}
    result = similarity.tiers(
        name=name,
        summary=summary,
        tags=tags,
        candidates=candidates,
        corpus_size=_corpus_size(),
        semantic=semantic,
        same_threshold=same_threshold,
        related_floor=related_floor,
    )

    # Both tiers are drawn from `considered`.
    shown_ids = [c.scored.candidate.id for c in result.considered]
    projects = (
        {p.pk: p for p in Project.objects.select_related("department").filter(pk__in=shown_ids)}
        if shown_ids
        else {}
    )

    def suggestion(c: similarity.Considered) -> Suggestion:
        cosine = c.cosine if semantic is not None else None
        why = similarity.reasons(
            name=name, summary=summary, tags=tags, candidate=c.scored.candidate, cosine=cosine
        )
        project = projects[c.scored.candidate.id]
        if department_id is not None and project.department and project.department_id == department_id:
            why.append(f"same department ({project.department.name})")
        return Suggestion(
            project,
            score=c.confidence,
            features=c.features,
            reasons=why,
            cosine=cosine,
        )

    def suggestions(chosen: list[similarity.Considered]) -> list[Suggestion]:
        # A project deleted since its words were read is left out.
        return [suggestion(c) for c in chosen if c.scored.candidate.id in projects]

    return LookAlikes(
        same=suggestions(result.same),
        related=suggestions(result.related),
        considered=suggestions(result.considered),
    )


def similar_projects(
    *,
    name: str,
    summary: str = "",
    tags: list[str] | None = None,
    exclude_id: int | None = None,
) -> list[Suggestion]:
    """The "possibly the same work" tier alone (the last chance to join, after a failed submit)."""
    return project_look_alikes(name=name, summary=summary, tags=tags, exclude_id=exclude_id).same


def embedding_latest(model_name: str) -> datetime | None:
    # Served by the (model, computed_at) index: a count here cost 30 ms at 20,000 projects.
    return ProjectEmbedding.objects.filter(model=model_name).aggregate(latest=Max("computed_at"))["latest"]


def embedding_rows(model_name: str, since: datetime | None) -> Iterator[tuple[int, bytes, datetime]]:
    qs = ProjectEmbedding.objects.filter(model=model_name)
    if since is not None:
        qs = qs.filter(computed_at__gte=since)
    # Streamed: the index stacks them as they come (common.vector_index).
    return qs.values_list("project_id", "vector", "computed_at").iterator(chunk_size=1000)


# The projects' vectors for common.retrieval (registered in projects/apps.py from these two).
PROJECT_KIND = "projects.project"


def projects_vector_index(*, model_name: str) -> VectorIndex:
    """Every project's sentence vector in this process's memory, for nearest neighbours by meaning;
    it re-reads what changed at each look-up (one aggregate query when nothing did)."""
    return retrieval.vector_index(kind=PROJECT_KIND, model_name=model_name)


_corpus_estimate: tuple[float, int] | None = None  # (monotonic time, estimate), per process
CORPUS_ESTIMATE_SECONDS = 300


def _corpus_size() -> int:
    """How many projects there are, for the IDF. On PostgreSQL the planner's estimate, which is free,
    close enough and only changes with ANALYZE, kept for CORPUS_ESTIMATE_SECONDS; exact on SQLite."""
    global _corpus_estimate
    if connection.vendor == "postgresql":
        now = time.monotonic()
        if _corpus_estimate is not None and now - _corpus_estimate[0] < CORPUS_ESTIMATE_SECONDS:
            return _corpus_estimate[1]
        with connection.cursor() as cur:
            cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'projects_project'")
            row = cur.fetchone()
        if row and row[0] and row[0] > 0:
            _corpus_estimate = (now, int(row[0]))
            return int(row[0])
    return Project.objects.count()


def project_joins_of_many(
    *, profile_ids: Collection[int], start: datetime, end: datetime
) -> dict[int, list[ProjectMember]]:
    """For each person, who joined one of their projects in [start, end), newest first (the digest's
    "new members of your projects"): two queries for the whole batch, whatever its size."""
    projects_of_person: dict[int, set[int]] = {}
    for profile_id, project_id in ProjectMember.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "project_id"
    ):
        projects_of_person.setdefault(profile_id, set()).add(project_id)
    if not projects_of_person:
        return {}
    joins = list(
        ProjectMember.objects.filter(
            project_id__in=set().union(*projects_of_person.values()),
            joined_at__gte=start,
            joined_at__lt=end,
            profile__user__is_active=True,
        )
        .select_related("profile", "project")
        .order_by("-joined_at", "-id")
    )
    return {
        pk: [j for j in joins if j.project_id in projects and j.profile_id != pk]
        for pk, projects in projects_of_person.items()
    }
