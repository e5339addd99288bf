"""GIN indexes for search on PostgreSQL: pg_trgm for typo-tolerant names, full-text for words.

The indexes sit on other apps' tables but only search reads through them, so they live here.
Every full-text index expression is exactly what django.contrib.postgres.search.SearchVector(...,
config="simple") renders in search/backends/postgres.py; if one changes, so must the other, or
PostgreSQL stops using the index. On SQLite (the demo) this migration does nothing.

Non-atomic so the indexes are built CONCURRENTLY: on a live company's tables the build does not
block writes. pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

# (name, app label, model, "USING ..." clause after the table name)
INDEXES = [
    ("search_skill_name_trgm", "expertise", "Skill", "USING gin (name gin_trgm_ops)"),
    ("search_profile_name_trgm", "profiles", "Profile", "USING gin (display_name gin_trgm_ops)"),
    (
        "search_profile_fts",
        "profiles",
        "Profile",
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(display_name, '') || ' ' || COALESCE(job_title, '')))",
    ),
    ("search_project_name_trgm", "projects", "Project", "USING gin (name gin_trgm_ops)"),
    (
        "search_project_fts",
        "projects",
        "Project",
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(name, '') || ' ' || COALESCE(summary, '')))",
    ),
    (
        "search_post_body_fts",
        "feed",
        "Post",
        # Only visible posts are ever searched.
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(body, ''))) WHERE removed_at IS NULL",
    ),
]


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES, before="CREATE EXTENSION IF NOT EXISTS pg_trgm")


def drop_indexes(apps, schema_editor):
    # The extension stays: other code may have come to rely on it.
    indexes_drop(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("profiles", "0003_profile_details"),
        ("expertise", "0003_levels_endorsements_interests"),
        ("projects", "0001_initial"),
        ("feed", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
