"""Keyset (cursor) pagination: pages stay as fast on page 5,000 as on page 1, unlike OFFSET."""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


class BadCursor(ValueError):
    """The cursor in the URL was not one Hive made."""


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]  # dates and datetimes
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("That page link is not valid.") from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadCursor("That page link is not valid.")
    return values


def keyset_page(
    queryset: QuerySet,
    *,
    keys: tuple[str, ...],
    cursor: str | None,
    size: int,
    descending: bool | tuple[bool, ...],
) -> Page:
    """One page of `queryset` ordered by `keys` (the last key must be unique, e.g. id).

    `descending` is one direction for every key, or one per key for a mixed order (most endorsed
    first, then by name: `(True, False, False)`). Datetime keys are compared as ISO strings parsed
    back by the database, so pass aware datetimes.
    """
    directions = descending if isinstance(descending, tuple) else (descending,) * len(keys)
    if len(directions) != len(keys):
        raise ValueError("Give one direction for every key.")
    qs = queryset.order_by(*(("-" if desc else "") + key for key, desc in zip(keys, directions, strict=True)))
    if cursor:
        values = _decode(cursor, len(keys))
        ops = ["lt" if desc else "gt" for desc in directions]
        # (k1, k2, ...) < (v1, v2, ...) spelled out so every database uses the composite index.
        condition = Q()
        for i, key in enumerate(keys):
            step = Q(**{f"{key}__{ops[i]}": values[i]})
            for prior, value in zip(keys[:i], values[:i], strict=False):
                step &= Q(**{prior: value})
            condition |= step
        # The same bound on the leading key alone, which the planner can use as an index range
        # (the OR above it cannot): a deep page then reads ~one page of rows, not all before it.
        condition &= Q(**{f"{keys[0]}__{ops[0]}e": values[0]})
        try:
            qs = qs.filter(condition)
        except (TypeError, ValueError, ValidationError) as exc:
            # Well-formed JSON, but not values of these keys (an edited link): "id": "x", a bad date.
            raise BadCursor("That page link is not valid.") from exc
    rows = list(qs[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = _encode([_key_value(last, k) for k in keys])
    return Page(items=items, next_cursor=next_cursor)


def keyset_cursor_at(*, created_at: datetime, id: int) -> str:
    """A cursor for an ascending ("created_at", "id") page that starts AT this row, not after it.

    keyset_page reads rows strictly after its cursor; ids are integers, so "after (t, id - 1)" is
    "from (t, id)" with nothing in between. Used to open a long thread where a linked comment is.
    """
    return _encode([created_at, id - 1])


def _key_value(obj: Any, key: str) -> Any:
    for part in key.split("__"):
        obj = getattr(obj, part)
    if hasattr(obj, "pk"):
        return obj.pk
    return obj
