"""The import's fast path to the database: multi-row INSERTs, and the schedule's snapshot from its rows.

`bulk_create` and simple-history's `bulk_history_create` build a model instance per row and
prepare every value through the SQL compiler, and SQLite's batches stop at 999 parameters: for
10,000 lines that was most of an import's time. `insert_rows` writes plain tuples with one
INSERT per batch as large as the database allows, preparing only the values that need it
(decimals, dates) the way Django would. The rows are then read back once, as plain values: their
ids for the historical rows, and their state for the revision's snapshot, which
`schedule_snapshot_with_lines` builds without instantiating 10,000 lines again; its result is
the same dict as `agreements.snapshots.schedule_snapshot_by_id` (a test holds it to that).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model

from agreements.models import BudgetLine
from agreements.snapshots import BUDGET_LINE_FIELDS, partner_entry, plain, schedule_queryset, schedule_snapshot
from partnerships.models import Partner

# Values of these field types go to the database driver as they are (what Django would send).
_AS_THEY_ARE = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey", "IntegerField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
}
POSTGRES_BATCH_ROWS = 5000

_PLAIN = {type(None), bool, int, str}  # the types `plain` gives back as they are

# The columns read back after writing: the snapshot's fields, in the order of LINE_VALUES.
LINE_VALUES = ("id", "position", *BUDGET_LINE_FIELDS)


def _batch_rows(columns: int) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            import sqlite3

            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, ImportError):  # Python before 3.11
            limit = connection.features.max_query_params
        return max(1, limit // columns)
    if connection.features.max_query_params:
        return max(1, min(POSTGRES_BATCH_ROWS, connection.features.max_query_params // columns))
    return POSTGRES_BATCH_ROWS


def _copy_text(value) -> str:
    """A value in COPY's text format: \\N for NULL; backslash, tab, newline and return escaped."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def _prepared(rows: Sequence[Sequence[Any]], prepare: list[tuple[int, Any]]) -> list[list[Any]]:
    """The rows with the columns in `prepare` as the database takes them (what get_db_prep_save gives).

    Decimals get the backend's adaptation directly (the parser has already checked them: this
    saves two to_python calls per value). Any other value is prepared once per distinct value:
    a batch's historical rows share one history date, which was 10,000 identical conversions.
    """
    adapt = connection.ops.adapt_decimalfield_value
    columns = []
    for index, field in prepare:
        decimal = field.get_internal_type() == "DecimalField"
        columns.append((index, field, decimal, field.max_digits if decimal else None,
                        field.decimal_places if decimal else None, {}))
    prepared = []
    for row in rows:
        row = list(row)
        for index, field, decimal, digits, places, seen in columns:
            value = row[index]
            if decimal and type(value) is Decimal:
                row[index] = adapt(value, digits, places)
                continue
            key = (type(value), value)
            try:
                row[index] = seen[key]
            except KeyError:
                row[index] = seen[key] = field.get_db_prep_save(value, connection)
            except TypeError:  # not hashable: prepare it on its own
                row[index] = field.get_db_prep_save(value, connection)
        prepared.append(row)
    return prepared


def insert_rows(model: type[Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT `rows` (tuples of values in the order of `attnames`) into `model`'s table, in large batches.

    On PostgreSQL (psycopg2) the rows go in with one COPY instead, a fraction of the INSERTs' cost.
    """
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in attnames]
    prepare = [
        (index, field) for index, field in enumerate(fields) if field.get_internal_type() not in _AS_THEY_ARE
    ]
    if prepare:
        rows = _prepared(rows, prepare)
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if hasattr(cursor.cursor, "copy_expert"):  # psycopg2: COPY, PostgreSQL's own bulk load
                columns = ", ".join(quote(f.column) for f in fields)
                data = "".join("\t".join([_copy_text(value) for value in row]) + "\n" for row in rows)
                cursor.cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN",
                                          io.StringIO(data))
                return
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = _batch_rows(len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            cursor.execute(head + ", ".join([one] * len(batch)), [value for row in batch for value in row])


def stored_lines(schedule_id: int) -> list[tuple]:
    """Every line of the schedule as LINE_VALUES tuples, in BudgetLine's order (one query, no instances)."""
    return list(
        BudgetLine.objects.filter(schedule_id=schedule_id).order_by(*BudgetLine._meta.ordering)
        .values_list(*LINE_VALUES)
    )


def schedule_snapshot_with_lines(schedule_id: int, lines: list[tuple]) -> dict[str, Any]:
    """`schedule_snapshot_by_id(schedule_id)`, with the budget lines taken from `stored_lines`' rows.

    Everything else in the snapshot comes from `schedule_snapshot` itself, so its format stays
    the shared one; only the lines are read apart.
    """
    snapshot = schedule_snapshot(schedule_queryset(budget_lines=False).get(pk=schedule_id))
    partners = snapshot["partners"]
    missing = {row[3] for row in lines} - {int(pk) for pk in partners}
    known = {partner.pk: partner for partner in Partner.objects.filter(pk__in=missing)}
    for partner_id in dict.fromkeys(row[3] for row in lines):  # in BudgetLine's ordering, as schedule_snapshot meets them
        if str(partner_id) not in partners:
            partners[str(partner_id)] = partner_entry(known[partner_id])
    # `plain` only changes values that are not None, bool, int or str (here the amounts): apply it to
    # the columns that hold any such value, and take the others as they are.
    keys = ("id", "position", *BUDGET_LINE_FIELDS)
    convert = [index for index in range(len(keys)) if any(type(row[index]) not in _PLAIN for row in lines)]
    budget_lines = []
    for row in lines:
        line = dict(zip(keys, row, strict=True))
        for index in convert:
            line[keys[index]] = plain(row[index])
        budget_lines.append(line)
    budget_lines.sort(key=lambda line: (line["financial_year"], line["budget_type"], line["position"], line["id"]))
    snapshot["budget_lines"] = budget_lines
    return snapshot
