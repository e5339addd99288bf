"""Full-text index for searching wiki pages (title and text) on PostgreSQL, like 0003 for posts.

The expression is exactly what SearchVector("title", "body", config="english") renders
(search.backends.postgres.wiki_candidates); change both or neither. Live pages only.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

INDEXES = [
    (
        "search_wiki_page_english",
        "wiki",
        "Page",
        "USING gin (to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))) "
        "WHERE removed_at IS NULL",
    ),
]


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)


def drop_indexes(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0003_content_indexes"),
        ("wiki", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
