"""Stored tsvector columns the search migrations share (0007: posts and comments; 0009: wiki pages):
a `search_vector` column kept by a trigger, filled in batches, with the planner's lexeme statistics.
Like _concurrent_indexes, not a migration (the loader skips modules starting with "_"); PostgreSQL
only, nothing on SQLite.

`document` is the SQL of what is indexed, with `{row}` before each column: the trigger reads the new
row (NEW.body), the fill the table's own columns (body).
"""

# Lexemes the planner keeps frequencies for (10 x the target): enough to tell a word in 1% of rows
# from one in 0.01%, which decides between walking the newest rows and reading the matches.
STATISTICS = 1000
BATCH = 20_000


def columns_add(schema_editor, *, function: str, document: str, tables: list[str], columns: str) -> None:
    """The column on each table and the trigger that fills it on insert and on a change of `columns`."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n    NEW.search_vector := {document.format(row='NEW.')};\n    RETURN NEW;\nEND\n$$"
        )
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector")
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {STATISTICS}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {columns} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )


def columns_fill(schema_editor, *, document: str, tables: list[str]) -> None:
    """Rows written before the trigger, BATCH ids at a time (autocommit: the migration is non-atomic,
    so writing goes on meanwhile)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT min(id), max(id) FROM {table} WHERE search_vector IS NULL")
            low, high = cursor.fetchone()
            if low is None:
                continue
            for start in range(low, high + 1, BATCH):
                cursor.execute(
                    f"UPDATE {table} SET search_vector = {document.format(row='')} "
                    "WHERE id >= %s AND id < %s AND search_vector IS NULL",
                    [start, start + BATCH],
                )


def columns_analyze(schema_editor, *, tables: list[str]) -> None:
    """The planner's lexeme frequencies, now rather than at the next autovacuum."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table} (search_vector)")


def columns_drop(schema_editor, *, function: str, tables: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
