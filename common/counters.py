"""Counters kept by adding to them in one statement: INSERT ... ON CONFLICT DO UPDATE (PostgreSQL and
SQLite 3.24+), so recording an event is one write whatever its rows, and two at once both count."""

from django.db import connection, models


def counters_add(*, model: type[models.Model], unique: tuple[str, ...], rows: list[dict]) -> None:
    """Adds each row's counts (every column not in `unique`) to the row with its `unique` columns,
    creating it at those counts. Rows are written sorted, so two writers lock shared rows in the same
    order; no two rows may share their `unique` columns."""
    if not rows:
        return
    quote = connection.ops.quote_name
    counts = [c for c in rows[0] if c not in unique]
    columns = [*unique, *counts]
    table = quote(model._meta.db_table)
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    ordered = sorted(rows, key=lambda r: tuple(r[c] for c in unique))
    params = [row[c] for row in ordered for c in columns]
    updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES {values} "
            f"ON CONFLICT ({', '.join(quote(c) for c in unique)}) DO UPDATE SET {updates}",
            params,
        )
