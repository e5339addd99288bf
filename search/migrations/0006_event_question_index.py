"""A full-text index of answered questions of events, so that search finds a finished event by what was
asked and answered (search.selectors._event_search). Like 0003: the expression is exactly what
SearchVector("body", config="english") renders, partial on what is searched (answered, not removed),
built CONCURRENTLY (non-atomic); nothing on SQLite.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

INDEXES = [
    (
        "search_event_question_english",
        "events",
        "Question",
        "USING gin (to_tsvector('english'::regconfig, COALESCE(body, ''))) "
        "WHERE removed_at IS NULL AND answered_at IS NOT NULL",
    ),
]


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)


def drop_indexes(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("search", "0005_zero_result_searches"), ("events", "0001_initial")]
    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=True)]
