"""Stored tsvectors for searching posts and comments on PostgreSQL: a `search_vector` column on
feed_post and feed_comment, kept by a trigger, filled in batches, GIN-indexed CONCURRENTLY.

0003 indexed an expression, to_tsvector('english', body): the index finds the matches, but any other
use of the text re-parses the body, at about 60 µs a row. So a search could not walk the newest
posts and stop at the 200th match (each row would be parsed), and had to read every match of a
common word, sort them and rank them: 78,000 rows for "workshop" at 1,000,000 posts. With the
vector stored, checking a row costs a microsecond: a common word walks post_feed_idx newest first
and stops early, a rare one reads its few matches through the GIN index (the planner chooses from
the column's lexeme statistics), and ranking reads the stored vector.

The column is PostgreSQL's alone: feed's models do not name it (SQLite has no tsvector, and no
page but search reads it); search.backends.postgres reads it through StoredVector. The trigger fills
it on every insert and on every change of the body, so no code path can forget it. Adding a
nullable column is instant; the fill runs in batches of BATCH rows, each its own transaction, so
posting goes on meanwhile. The indexes, built after the fill, skip removed rows like 0003's.
Nothing on SQLite.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

CONFIG = "english"
TABLES = ["feed_post", "feed_comment"]
BATCH = 20_000
# Lexemes the planner keeps frequencies for (10 x the target): enough to tell a word in 1% of posts
# from one in 0.01%, which decides between walking the newest posts and reading the matches.
STATISTICS = 1000

INDEXES = [
    ("search_post_vector", "feed", "Post", "USING gin (search_vector) WHERE removed_at IS NULL"),
    ("search_comment_vector", "feed", "Comment", "USING gin (search_vector) WHERE removed_at IS NULL"),
]

FUNCTION = f"""
CREATE OR REPLACE FUNCTION search_vector_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := to_tsvector('{CONFIG}'::regconfig, COALESCE(NEW.body, ''));
    RETURN NEW;
END
$$
"""


def columns_add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        for table in TABLES:
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector")
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {STATISTICS}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF body ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION search_vector_fill()"
            )


def columns_fill(apps, schema_editor):
    """Rows written before the trigger, BATCH ids at a time (autocommit: the migration is non-atomic)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT min(id), max(id) FROM {table} WHERE search_vector IS NULL")
            low, high = cursor.fetchone()
            if low is None:
                continue
            for start in range(low, high + 1, BATCH):
                cursor.execute(
                    f"UPDATE {table} SET search_vector = to_tsvector('{CONFIG}'::regconfig, COALESCE(body, '')) "
                    "WHERE id >= %s AND id < %s AND search_vector IS NULL",
                    [start, start + BATCH],
                )


def indexes_add(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            # The planner's lexeme frequencies, now rather than at the next autovacuum.
            cursor.execute(f"ANALYZE {table} (search_vector)")


def columns_drop(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        cursor.execute("DROP FUNCTION IF EXISTS search_vector_fill()")


def nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0006_event_question_index"),
        ("feed", "0014_held_for_review"),
    ]

    operations = [
        migrations.RunPython(columns_add, columns_drop, elidable=False),
        migrations.RunPython(columns_fill, nothing, elidable=False),
        migrations.RunPython(indexes_add, nothing, elidable=False),
    ]
