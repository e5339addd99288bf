"""A stored tsvector on wiki pages, as 0007 gave posts and comments, in place of 0004's expression index.

With 0004's index, the index found a word's pages but anything else re-parsed title and text (about
300 words a page): ranking the 200 most recently edited matches of a word most pages have cost
~150 ms at 20,000 pages. The column holds exactly what 0004 indexed (title and text, 'english'),
kept by a trigger on every insert and on every change of the title or text; filled in batches,
GIN-indexed CONCURRENTLY (live pages only, like 0004), then 0004's index is dropped. Reversing
builds 0004's index again first. Nothing on SQLite.
"""

from django.db import migrations

from search.migrations import _stored_vectors as vectors
from search.migrations._concurrent_indexes import indexes_create, indexes_drop

TABLES = ["wiki_page"]
FUNCTION = "wiki_search_vector_fill"
DOCUMENT = "to_tsvector('english'::regconfig, COALESCE({row}title, '') || ' ' || COALESCE({row}body, ''))"

INDEXES = [("search_wiki_page_vector", "wiki", "Page", "USING gin (search_vector) WHERE removed_at IS NULL")]
# 0004's, which nothing reads once this one exists.
EXPRESSION_INDEXES = [
    (
        "search_wiki_page_english",
        "wiki",
        "Page",
        "USING gin (to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(body, ''))) "
        "WHERE removed_at IS NULL",
    ),
]


def column_add(apps, schema_editor):
    vectors.columns_add(
        schema_editor, function=FUNCTION, document=DOCUMENT, tables=TABLES, columns="title, body"
    )


def column_fill(apps, schema_editor):
    vectors.columns_fill(schema_editor, document=DOCUMENT, tables=TABLES)


def index_swap(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)
    vectors.columns_analyze(schema_editor, tables=TABLES)
    indexes_drop(apps, schema_editor, EXPRESSION_INDEXES)


def index_swap_back(apps, schema_editor):
    indexes_create(apps, schema_editor, EXPRESSION_INDEXES)
    indexes_drop(apps, schema_editor, INDEXES)


def column_drop(apps, schema_editor):
    vectors.columns_drop(schema_editor, function=FUNCTION, tables=TABLES)


def nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0008_drop_content_expression_indexes"),
        ("wiki", "0002_watches"),
    ]

    operations = [
        migrations.RunPython(column_add, column_drop, elidable=False),
        migrations.RunPython(column_fill, nothing, elidable=False),
        migrations.RunPython(index_swap, index_swap_back, elidable=False),
    ]
