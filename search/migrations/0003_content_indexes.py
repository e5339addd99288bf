"""Full-text indexes for searching posts and comments on PostgreSQL (the 'english' configuration).

Expression indexes rather than a stored tsvector column: the GIN index keeps the lexemes, which is
all a match needs, while adding a column to feed_post would rewrite or backfill a table of a million
rows and put a PostgreSQL-only field on a model the SQLite demo also runs. Ranking re-computes
to_tsvector() for the few hundred newest matches only (search.backends.postgres.content_candidates).
Each expression is exactly what SearchVector("body", config="english") renders; change both or
neither. Only visible rows are ever searched, so removed ones are left out of the indexes.

Like 0001: built CONCURRENTLY (non-atomic), so posting and commenting go on during the build;
nothing on SQLite.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

# (name, app label, model, "USING ..." clause after the table name)
INDEXES = [
    (
        "search_post_body_english",
        "feed",
        "Post",
        "USING gin (to_tsvector('english'::regconfig, COALESCE(body, ''))) WHERE removed_at IS NULL",
    ),
    (
        "search_comment_body_english",
        "feed",
        "Comment",
        "USING gin (to_tsvector('english'::regconfig, COALESCE(body, ''))) WHERE removed_at IS NULL",
    ),
]


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)


def drop_indexes(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0002_holder_rank_and_project_name_indexes"),
        ("feed", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
