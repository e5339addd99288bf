"""The database-specific half of search: PostgreSQL in production, a plain fallback for the SQLite demo.

Both modules offer the same functions (skills_matching, people_matching, projects_matching,
post_authors); search.selectors picks one per call and does everything else the same way.
"""

from types import ModuleType

from django.db import connection


def current() -> ModuleType:
    if connection.vendor == "postgresql":
        from search.backends import postgres

        return postgres
    from search.backends import simple

    return simple
