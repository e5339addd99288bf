"""A full-text index of groups' names and descriptions, for "a similar group exists"
(communities.selectors.similar_groups; the expression is exactly the one it queries). Nothing on
SQLite (the demo)."""

from django.db import migrations

INDEX = "community_words_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON communities_community USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(description, '')))"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("communities", "0002_group_invitation")]
    operations = [migrations.RunPython(create, drop, elidable=True)]
