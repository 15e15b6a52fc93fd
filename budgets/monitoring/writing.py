"""The fast path for a return's entries: the kernel's `sync_children` checks, without a query per row.

`sync_children` saves entry by entry: per row a full_clean (whose foreign-key check is a query),
`validate_constraints` (two more queries), an INSERT or UPDATE and simple-history's own INSERT.
For a 10,000-line return that is 50,000 queries. `write_entries` gives the same result in a
handful: each value converted as `apply_fields` converts it and checked as `full_clean` and the
constraints check it (with the same messages, "Budget line 3: ..."), new entries and their
historical rows written with `budgets.importing.writing.insert_rows`, changed ones updated in one
statement per batch. The foreign keys need no check (the service only passes the schedule's lines
of the year, and the parent is the return) and the one-entry-per-line constraint holds by
construction (one item per budget line). Removed entries go through the ORM one by one, as
before, so their historical rows are simple-history's own; an import never removes any.
`tests/monitoring/test_writing.py` holds the two paths to the same rows, revision and history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from budgets.importing.writing import insert_rows
from budgets.monitoring.models import MonitoringEntry, credit_problem
from documents.history_rows import open_revision
from documents.services import _convert  # the kernel's own conversion of a submitted value, so both paths agree

VALUE_FIELDS = ("actual_to_date", "forecast_outturn", "notes")
STORED = ("id", "budget_line_id", "position", *VALUE_FIELDS)
NEW_COLUMNS = ("monitoring_return_id", "budget_line_id", "position", *VALUE_FIELDS)
LABEL = "Budget line"
UPDATE_BATCH = 2000
CHANGED_PER_STATEMENT = 20_000  # ids in one "IN (...)": SQLite allows 32,766 parameters


def _constraint_message(name: str) -> str:
    return next(c.violation_error_message for c in MonitoringEntry._meta.constraints if c.name == name)


FORECAST_NOT_NEGATIVE = _constraint_message("monitoring_forecast_not_negative")
_MONEY = [MonitoringEntry._meta.get_field(name) for name in ("actual_to_date", "forecast_outturn")]
_DEFAULTS = {name: MonitoringEntry._meta.get_field(name).get_default() for name in VALUE_FIELDS}
_LIMIT = Decimal(10) ** 12  # 14 digits, 2 of them decimal places: under a trillion pounds


def _fit(value):
    """`value` when it is a Decimal the money fields take as it is (what to_python gives, and what their
    validators pass: finite, at most 2 places, under £1,000,000,000,000); None for anything else, which
    goes the long way round (and gets the long way's message)."""
    if type(value) is Decimal and value.is_finite() and abs(value) < _LIMIT and value.as_tuple().exponent >= -2:
        return value
    return None


def checked_values(item: dict[str, Any], position: int) -> dict[str, Any]:
    """The item's values as they would be stored, or the ValidationError `sync_children` would raise."""
    values = {}
    try:
        for name in VALUE_FIELDS:
            if name not in item:
                values[name] = _DEFAULTS[name]
            else:
                raw = item[name]
                values[name] = raw if _fit(raw) is not None else _convert(MonitoringEntry, name, raw)
    except ValidationError as error:  # as sync_children's _apply words it
        raise ValidationError(f"{LABEL} {position}: {' '.join(error.messages)}") from error
    problems: dict[str, list[str]] = {}
    for field in _MONEY:  # clean_fields: to_python is done, so the validators (digits, places)
        value = values[field.attname]
        if value is not None and _fit(value) is None:
            try:
                field.run_validators(value)
            except ValidationError as error:
                problems.setdefault(field.attname, []).extend(error.messages)
    if not problems:
        credit = credit_problem(values["actual_to_date"], values["notes"])
        if credit:
            problems["notes"] = [credit]
    if not problems and values["forecast_outturn"] is not None and values["forecast_outturn"] < Decimal("0"):
        problems["__all__"] = [FORECAST_NOT_NEGATIVE]
    if problems:
        raise ValidationError(f"{LABEL} {position}: {'; '.join(m for messages in problems.values() for m in messages)}")
    return values


def _history_columns() -> list[str]:
    model = MonitoringEntry.history.model
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def write_entries(monitoring_return, items: list[dict[str, Any]]) -> None:
    """`sync_children(monitoring_return, ENTRIES, items)` in a few queries (inside the kernel's `revision_scope`)."""
    revision = open_revision.get()
    if revision is None:
        raise RuntimeError("write_entries runs inside documents.revisions.revision_scope")
    stored = {row[0]: row for row in MonitoringEntry.objects.filter(monitoring_return=monitoring_return)
              .values_list(*STORED)}
    kept = {item.get("id") for item in items if item.get("id") in stored}
    for gone in MonitoringEntry.objects.filter(pk__in=[pk for pk in stored if pk not in kept]):
        gone.delete()  # simple-history writes its "-" row, linked to the revision by the kernel's receiver
    new, changed = [], []
    for position, item in enumerate(items, start=1):
        values = checked_values(item, position)
        row = stored.get(item.get("id"))
        if row is None:
            new.append((monitoring_return.pk, item["budget_line_id"], position,
                        *(values[name] for name in VALUE_FIELDS)))
        elif (row[2], *row[3:]) != (position, *(values[name] for name in VALUE_FIELDS)):
            changed.append((row[0], row[1], position, *(values[name] for name in VALUE_FIELDS)))
    insert_rows(MonitoringEntry, NEW_COLUMNS, new)
    if changed:
        _update(changed)
    if new or changed:
        _write_history(monitoring_return, list(stored), changed, revision)


def _update(changed: list[tuple]) -> None:
    table, quote = MonitoringEntry._meta.db_table, connection.ops.quote_name
    fields = ["position", *VALUE_FIELDS]
    adapt = connection.ops.adapt_decimalfield_value
    sets = ", ".join(f"{quote(name)} = %s" for name in fields)
    params = [(position, *(adapt(v, 14, 2) if isinstance(v, Decimal) else v for v in values), pk)
              for pk, _line, position, *values in changed]
    with connection.cursor() as cursor:
        for start in range(0, len(params), UPDATE_BATCH):
            cursor.executemany(f"UPDATE {quote(table)} SET {sets} WHERE {quote('id')} = %s",
                               params[start:start + UPDATE_BATCH])


def _write_history(monitoring_return, stored_ids, changed: list[tuple], revision) -> None:
    """A "+" historical row per new entry and a "~" per changed one, stamped as the kernel's receiver stamps them,
    copied from the entries' rows by the database (INSERT ... SELECT), in the list's order as sync_children
    writes them. New entries are those with an id above every stored one (ids only grow)."""
    history = MonitoringEntry.history.model
    columns = _history_columns()
    constants = {"history_date": connection.ops.adapt_datetimefield_value(revision.date),
                 "history_user_id": revision.user_id, "history_change_reason": revision.reason,
                 "revision_id": revision.revision_id}
    copied = {field.attname: field.column for field in MonitoringEntry._meta.concrete_fields}
    missing = set(columns) - set(copied) - set(constants) - {"history_type"}
    if missing:  # a field added to the historical model that this fast path does not know how to fill
        raise RuntimeError(f"The return cannot write historical entries: no value for {sorted(missing)}.")
    quote = connection.ops.quote_name
    newest = max(stored_ids, default=0)
    changed_ids = [row[0] for row in changed]
    if len(changed_ids) > CHANGED_PER_STATEMENT:  # beyond a statement's parameters: the rest in statements of their own
        _write_history(monitoring_return, stored_ids, changed[:CHANGED_PER_STATEMENT], revision)
        for start in range(CHANGED_PER_STATEMENT, len(changed), CHANGED_PER_STATEMENT):  # no new ones again
            _write_history(monitoring_return, [2**62], changed[start:start + CHANGED_PER_STATEMENT], revision)
        return
    select, params = [], []
    for name in columns:
        if name == "history_type":
            select.append("CASE WHEN e.id > %s THEN '+' ELSE '~' END")
            params.append(newest)
        elif name in constants:
            select.append("%s")
            params.append(constants[name])
        else:
            select.append(f"e.{quote(copied[name])}")
    touched = "e.id > %s" + (f" OR e.id IN ({', '.join(['%s'] * len(changed_ids))})" if changed_ids else "")
    sql = (f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(history._meta.get_field(n).column) for n in columns)}) "
           f"SELECT {', '.join(select)} FROM {quote(MonitoringEntry._meta.db_table)} e "
           f"WHERE e.monitoring_return_id = %s AND ({touched}) ORDER BY e.position, e.id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, monitoring_return.pk, newest, *changed_ids])
