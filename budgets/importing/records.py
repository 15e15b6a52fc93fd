"""Budget lines given as records (the API's JSON objects) turned into the rows a budget-lines file has.

Only the shape is checked here (an object per line, known field names, plain values); every value
is then checked by the import's own row parser (`preview.build_preview_from_rows`), so a line
sent to the API is refused or accepted exactly as the same line in a spreadsheet would be.
"""

from __future__ import annotations

from decimal import Decimal

from agreements.budget_values import financial_year_label
from budgets.importing.preview import COLUMNS, ROW_HEADINGS, RowError

# JSON field → the heading of its column in a budget-lines file (and back, for errors).
FIELDS = [field for field, _label, _required in COLUMNS.values()]
FIELD_OF_COLUMN = {label: field for field, label, _required in COLUMNS.values()}
REQUIRED = [field for field, _label, required in COLUMNS.values() if required]
KEEP_WHEN_ABSENT = ("ring_fenced_public_health", "notes")
_SCALAR = (str, int, float, Decimal, bool, type(None))
_TEXT = frozenset({"service", "notes", "partner", "budget_type", "status"})


def _value(field: str, value, partner_names: dict[int, str], row: int, errors: list[RowError]):
    if field == "financial_year" and isinstance(value, int) and not isinstance(value, bool):
        return financial_year_label(value)  # 2019 means 2019/20; a wrong year is refused by the parser
    if field == "partner" and isinstance(value, int) and not isinstance(value, bool):
        if value not in partner_names:
            errors.append(RowError(row, "partner", str(value), f"There is no partner with id {value}."))
            return None
        return partner_names[value]
    if value is not None and field in _TEXT and not isinstance(value, str):
        errors.append(RowError(row, field, str(value)[:60], f"“{field}” must be text."))
        return None
    return value


def rows_from_records(
    records: list, partner_names: dict[int, str],
) -> tuple[list[tuple[int, list]], dict[int, set[str]], list[RowError]]:
    """(rows with the headings first, the optional fields each row left out, shape errors by row)."""
    rows: list[tuple[int, list]] = [(0, ROW_HEADINGS)]
    absent: dict[int, set[str]] = {}
    errors: list[RowError] = []
    known = set(FIELDS)
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.append(RowError(row, "", str(record)[:60], "Each line must be an object of fields."))
            continue
        if not record.keys() <= known or not all(isinstance(value, _SCALAR) for value in record.values()) \
                or any(record.get(name) in (None, "") for name in REQUIRED):
            errors.extend(_shape_errors(row, record))
            continue
        before = len(errors)
        values = [_value(field, record.get(field), partner_names, row, errors) for field in FIELDS]
        if len(errors) > before:
            continue
        rows.append((row, values))
        left_out = {name for name in KEEP_WHEN_ABSENT if name not in record}
        if left_out:
            absent[row] = left_out
    return rows, absent, errors


def _shape_errors(row: int, record: dict) -> list[RowError]:
    errors = [RowError(row, str(name)[:60], "", f"“{name}” is not a field of a budget line: use {', '.join(FIELDS)}.")
              for name in sorted(set(record) - set(FIELDS), key=str)]
    errors += [RowError(row, name, "", f"Enter the {name.replace('_', ' ')}.")
               for name in REQUIRED if record.get(name) in (None, "")]
    errors += [RowError(row, name, str(record[name])[:60], f"“{name}” must be a single value.")
               for name in FIELDS if not isinstance(record.get(name), _SCALAR)]
    return errors


def field_of(error: RowError) -> str:
    """The JSON field an error names (the parser names columns by their headings)."""
    return FIELD_OF_COLUMN.get(error.column, error.column)
