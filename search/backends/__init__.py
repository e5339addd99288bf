"""The database-specific half of search: PostgreSQL in production, a plain fallback for the SQLite demo.

Both modules offer the same functions (skills_matching, people_matching, projects_matching,
post_authors); search.selectors picks one per call and does everything else the same way.
"""

from dataclasses import dataclass
from types import ModuleType

from django.db import connection

from expertise.models import Skill
from profiles.models import Profile


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


def current() -> ModuleType:
    if connection.vendor == "postgresql":
        from search.backends import postgres

        return postgres
    from search.backends import simple

    return simple
