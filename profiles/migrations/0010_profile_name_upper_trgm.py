"""A trigram index on UPPER(display_name), the expression Django's icontains/istartswith render on
PostgreSQL (UPPER("display_name"::text) LIKE UPPER('%ann%')): the people picker's and @mention's
suggestions (profiles.selectors.people_named) match names through it. search_profile_name_trgm, on the
raw column, serves only trigram similarity (%), so these LIKEs walked the whole directory in name order.
Its statistics also tell the planner how many names a pattern matches.

Built CONCURRENTLY (no lock on a live company's people), so the migration is not atomic. pg_trgm is a
trusted extension (PostgreSQL 13+); search/migrations/0001 creates it too. Nothing on SQLite (the demo).
"""

from django.db import migrations

NAME = "profile_name_upper_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("profiles", "Profile")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} ON "{table}" '
            "USING gin ((UPPER(display_name::text)) gin_trgm_ops)"
        )
        cursor.execute(f'ANALYZE "{table}"')  # the expression's statistics, for the planner's choice


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("profiles", "0009_moderation_removal")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
