"""Writing many rows' fields at once, faster than ``QuerySet.bulk_update``.

Django's ``bulk_update`` writes ``SET f = CASE WHEN id = 1 THEN … WHEN id = 2 THEN … END`` for every field: its
cost grows with rows × fields while the query is built (13 s of 16 for 10,000 results of 9 fields). Here each batch
is one statement joining the table to a list of values, which PostgreSQL and SQLite (3.33 and later) both run:

    WITH v(pk, f1, f2) AS (VALUES (%s, %s, %s), …)
    UPDATE t SET f1 = CAST(v.f1 AS type1), f2 = CAST(v.f2 AS type2) FROM v WHERE t.id = v.pk

Values go through each field's own preparation for the database (``get_db_prep_save``), as ``save`` does; signals
are not sent (as with ``bulk_update``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router

BATCH = 1000


def fast_bulk_update(objs: Sequence[models.Model], field_names: Sequence[str], batch_size: int = BATCH) -> int:
    """Write ``field_names`` of ``objs`` (all of one model, already saved); returns the rows written."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    if any(not f.concrete or f.many_to_many or f.primary_key for f in fields):
        raise ValueError("only concrete, non-key fields can be written in bulk")
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ["pk", *(f"c{n}" for n in range(len(fields)))]
    assignments = ", ".join(
        f"{quote(f.column)} = CAST(v.c{n} AS {f.cast_db_type(connection)})" for n, f in enumerate(fields)
    )
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            params: list[Any] = []
            for obj in batch:
                params.append(obj.pk)
                params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
            sql = (
                f"WITH v({', '.join(columns)}) AS (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608 # nosec B608 - names from the model, values as parameters
                f"UPDATE {quote(meta.db_table)} SET {assignments} FROM v "
                f"WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = v.pk"
            )
            cursor.execute(sql, params)
            written += cursor.rowcount if cursor.rowcount >= 0 else _changes(cursor)
    return written


def _changes(cursor: Any) -> int:
    """SQLite's driver counts no rows for a statement that starts with WITH: ask SQLite itself."""
    cursor.execute("SELECT changes()")
    return cursor.fetchone()[0]
