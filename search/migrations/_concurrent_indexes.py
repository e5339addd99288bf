"""Index builds the search migrations share: raw CREATE INDEX CONCURRENTLY on PostgreSQL, nothing on
SQLite (the demo). Django's migration loader skips modules whose name starts with "_", so this is
not a migration; the migrations that use it must stay non-atomic (CONCURRENTLY refuses a transaction).

`indexes` are (name, app label, model, "USING ..." clause after the table name).
"""


def indexes_create(apps, schema_editor, indexes, *, before: str = "") -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if before:
            cursor.execute(before)
        for name, app_label, model_name, using in indexes:
            table = apps.get_model(app_label, model_name)._meta.db_table
            cursor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON "{table}" {using}')


def indexes_drop(apps, schema_editor, indexes) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, *_ in indexes:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
