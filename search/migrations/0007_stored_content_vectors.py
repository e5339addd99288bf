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

from search.migrations import _stored_vectors as vectors
from search.migrations._concurrent_indexes import indexes_create, indexes_drop

CONFIG = "english"
TABLES = ["feed_post", "feed_comment"]
FUNCTION = "search_vector_fill"
DOCUMENT = f"to_tsvector('{CONFIG}'::regconfig, COALESCE({{row}}body, ''))"

INDEXES = [
    ("search_post_vector", "feed", "Post", "USING gin (search_vector) WHERE removed_at IS NULL"),
    ("search_comment_vector", "feed", "Comment", "USING gin (search_vector) WHERE removed_at IS NULL"),
]


def columns_add(apps, schema_editor):
    vectors.columns_add(schema_editor, function=FUNCTION, document=DOCUMENT, tables=TABLES, columns="body")


def columns_fill(apps, schema_editor):
    vectors.columns_fill(schema_editor, document=DOCUMENT, tables=TABLES)


def indexes_add(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)
    vectors.columns_analyze(schema_editor, tables=TABLES)


def columns_drop(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)
    vectors.columns_drop(schema_editor, function=FUNCTION, tables=TABLES)


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
