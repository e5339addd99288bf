"""Drops 0003's expression indexes on posts' and comments' bodies: since 0007, content search reads
the stored vectors and their indexes, and nothing else matched to_tsvector('english', body). Each
index was another write on every post and comment. Built again (CONCURRENTLY) if this is reversed.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

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


def drop_indexes(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0007_stored_content_vectors")]

    operations = [migrations.RunPython(drop_indexes, create_indexes, elidable=False)]
