"""Search without PostgreSQL (the SQLite demo): case-insensitive containment, and difflib for typos.

Good enough for a demo company of a few hundred people; production runs search.backends.postgres.
"""

import difflib
from contextlib import nullcontext

from django.db.models import Q

from expertise.models import Skill
from feed.models import Post
from feed.selectors import public_posts
from profiles.selectors import active_profiles
from projects.models import Project
from search.backends import PersonMatch, SkillMatch, authors_by_post_count
from search.text import snippet, words_of

# The typo pass reads every name into Python, so it is limited to the size of a demo company.
_TYPO_SCAN_LIMIT = 5000


def session() -> nullcontext[None]:
    return nullcontext()


def _closeness(query: str, name: str) -> float:
    """difflib's ratio against the whole name or its best word: "kubernets" ~ "Kubernetes operators"."""
    query, name = query.lower(), name.lower()
    candidates = [name, *name.split()]
    return max(difflib.SequenceMatcher(None, query, c).ratio() for c in candidates)


def _rank(query: str, text: str) -> float:
    q, t = query.lower(), text.lower()
    if t == q:
        return 3.0 + 1.0
    if t.startswith(q):
        return 2.0 + _closeness(q, t)
    return _closeness(q, t)


def skills_matching(query: str, *, limit: int) -> list[SkillMatch]:
    names = list(Skill.objects.values_list("id", "name")[:_TYPO_SCAN_LIMIT])
    scored = {}
    for skill_id, name in names:
        score = _rank(query, name) + (1.0 if query.lower() in name.lower() else 0.0)
        if query.lower() in name.lower() or _closeness(query, name) >= 0.75:
            scored[skill_id] = score
    skills = Skill.objects.filter(id__in=sorted(scored, key=lambda i: -scored[i])[:limit])
    matches = [SkillMatch(skill=skill, similarity=scored[skill.id]) for skill in skills]
    return sorted(matches, key=lambda m: (-m.similarity, m.skill.name))


def people_matching(query: str, *, limit: int) -> list[PersonMatch]:
    words = words_of(query)
    base = (
        active_profiles()
        .select_related("department", "location")
        .only("id", "display_name", "job_title", "department__name", "location__name", "location__time_zone")
    )
    every = Q()
    for word in words:
        every &= Q(display_name__icontains=word) | Q(job_title__icontains=word)
    found = list(base.filter(every)[: limit * 5]) if words else []
    if not found:
        # Typos: the closest names in a demo-sized company.
        people = list(base[:_TYPO_SCAN_LIMIT])
        found = [p for p in people if _closeness(query, p.display_name) >= 0.6]
    matches = [PersonMatch(person=p, rank=_rank(query, p.display_name)) for p in found]
    return sorted(matches, key=lambda m: (-m.rank, m.person.display_name, m.person.id))[:limit]


def projects_matching(query: str, *, also: list[str], limit: int) -> list[Project]:
    match = Q()
    for text in [query, *also]:
        every = Q()
        for word in words_of(text):
            every &= Q(name__icontains=word) | Q(summary__icontains=word)
        if every:
            match |= every
    if not match:
        return []
    found = list(
        Project.objects.filter(match)
        .select_related("department")
        .only("id", "name", "summary", "status", "member_count", "updated_at", "department__name")
        .order_by("-updated_at", "-id")[: limit * 5]
    )
    return sorted(found, key=lambda p: -_rank(query, p.name))[:limit]


def post_authors(topic: str, *, also: list[str], recent: int, limit: int) -> dict[int, int]:
    match = Q()
    for text in [topic, *also]:
        if text.strip():
            match |= Q(body__icontains=text.strip())
    if not match:
        return {}
    newest = (
        # Only what everyone may read: a private group's posts must not show who wrote what there.
        public_posts()
        .filter(match, kind=Post.Kind.UPDATE)
        .order_by("-created_at")
        .values_list("author_id", flat=True)[:recent]
    )
    return authors_by_post_count(newest, limit=limit)


# --- Posts and comments ---------------------------------------------------------------------


def _content_match(*, text: str, phrases: list[str], also: list[str], field: str = "body") -> Q | None:
    match = Q()
    every = Q()
    for word in words_of(text):
        every &= Q(**{f"{field}__icontains": word})
    for phrase in phrases:
        every &= Q(**{f"{field}__icontains": phrase})
    if every:
        match |= every
    for alt in also:
        if alt.strip():
            match |= Q(**{f"{field}__icontains": alt.strip()})
    return match or None


def content_candidates(
    rows,
    *,
    text: str,
    phrases: list[str],
    also: list[str],
    fields: tuple[str, ...],
    limit: int,
    group_id: int | None = None,
) -> list[dict]:
    """The newest matches, ranked by the share of the query's words they contain (0.1 for all of
    them: about what PostgreSQL's ts_rank gives a short post with every word once). `group_id` is
    already among `rows`' conditions (the demo's comments join their post)."""
    match = _content_match(text=text, phrases=phrases, also=also)
    if match is None:
        return []
    found = list(rows.filter(match).order_by("-created_at", "-id").values(*fields, "body")[:limit])
    words = words_of(text) or words_of(" ".join(also))
    for row in found:
        body = row.pop("body").lower()
        row["rank"] = 0.1 * sum(1 for w in words if w in body) / max(len(words), 1)
    return found


def content_display(rows, *, text: str, phrases: list[str], also: list[str]) -> list:
    found = list(rows)
    terms = words_of(" ".join([text, *also]))
    for item in found:
        item.snippet = snippet(item.body, terms, width=220)
    return found


def wiki_candidates(rows, *, text: str, phrases: list[str], also: list[str], limit: int) -> list[dict]:
    """Pages whose title or text holds the words, ranked like posts, with `in_title`."""
    in_body = _content_match(text=text, phrases=phrases, also=also)
    in_title = _content_match(text=text, phrases=phrases, also=also, field="title")
    if in_body is None or in_title is None:
        return []
    found = list(
        rows.filter(in_body | in_title)
        .order_by("-updated_at", "-id")
        .values("id", "updated_at", "title", "body")[:limit]
    )
    words = words_of(text) or words_of(" ".join(also))
    for row in found:
        title, body = row.pop("title").lower(), row.pop("body").lower()
        row["rank"] = 0.1 * sum(1 for w in words if w in body or w in title) / max(len(words), 1)
        row["in_title"] = bool(words) and all(w in title for w in words)
    return found
