"""An index for the @handle and from: filters of content search: they look the author up by the start
of their email address, any case (email__istartswith renders UPPER(email::text) LIKE UPPER('ada@%')),
which no index answered: every search with @handle read the whole user table (380 ms at 100,000
people under load). text_pattern_ops lets the LIKE prefix, and the equality of from:, use it
whatever the database's collation. Built CONCURRENTLY; nothing on SQLite.
"""

from django.db import migrations

from search.migrations._concurrent_indexes import indexes_create, indexes_drop

INDEXES = [("search_user_email_upper", "profiles", "User", "(UPPER(email::text) text_pattern_ops)")]


def create_indexes(apps, schema_editor):
    indexes_create(apps, schema_editor, INDEXES)


def drop_indexes(apps, schema_editor):
    indexes_drop(apps, schema_editor, INDEXES)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0009_wiki_stored_vector"), ("profiles", "0009_moderation_removal")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
