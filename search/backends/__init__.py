"""The database-specific half of search: PostgreSQL in production, a plain fallback for the SQLite demo.

Both modules offer the same functions (skills_matching, people_matching, projects_matching,
post_authors); search.selectors picks one per call and does everything else the same way.
"""

from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection
from django.db.models import QuerySet

from expertise.models import Skill
from feed.models import Post
from profiles.models import Profile
from projects.models import Project


def authors_by_post_count(author_ids: QuerySet[Post, int], *, limit: int) -> dict[int, int]:
    """The authors of those posts (a values_list of each post's author_id) with how many each wrote,
    most first (ties by id, so stable).

    Counted here, not by GROUP BY around the posts' query: that read every post found a second time
    by its id (2,000 index probes for "python" at 1,000,000 posts) to get the author it already had.
    """
    counts = Counter(author_ids)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


@dataclass(frozen=True)
class SkillMatch:
    """A skill named like the query, and how closely: 3 or more when the name is the query exactly."""

    skill: Skill
    similarity: float


@dataclass(frozen=True)
class PersonMatch:
    """A person whose name (or job title) fits the query, and how well: 3 or more for the exact name."""

    person: Profile
    rank: float


class SearchBackend(Protocol):
    """What both modules offer (a module satisfies this protocol), so the selectors' calls are checked."""

    def session(self) -> AbstractContextManager[object]: ...

    def skills_matching(self, query: str, *, limit: int) -> list[SkillMatch]: ...

    def people_matching(self, query: str, *, limit: int) -> list[PersonMatch]: ...

    def projects_matching(self, query: str, *, also: list[str], limit: int) -> list[Project]: ...

    def post_authors(self, topic: str, *, also: list[str], recent: int, limit: int) -> dict[int, int]: ...

    def content_candidates(
        self,
        rows: QuerySet[Any, Any],
        *,
        text: str,
        phrases: list[str],
        also: list[str],
        fields: tuple[str, ...],
        limit: int,
        group_id: int | None = None,
    ) -> list[dict]: ...

    def content_display(
        self, rows: QuerySet[Any, Any], *, text: str, phrases: list[str], also: list[str]
    ) -> list: ...

    def wiki_candidates(
        self, rows: QuerySet[Any, Any], *, text: str, phrases: list[str], also: list[str], limit: int
    ) -> list[dict]: ...


def current() -> SearchBackend:
    if connection.vendor == "postgresql":
        from search.backends import postgres

        return postgres
    from search.backends import simple

    return simple
