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
    year_labels: dict[int, str] = {}  # the same few years on every line: each label made once
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.append(RowError(row, "", str(record)[:60], "Each line must be an object of fields."))
            continue
        if not record.keys() <= known or not _all_scalar(record.values()) \
                or any(record.get(name) in (None, "") for name in REQUIRED):
            errors.extend(_shape_errors(row, record))
            continue
        values = _plain_values(record, partner_names, year_labels)
        if values is None:  # a value _value would refuse or turn: it says why, field by field
            before = len(errors)
            values = [_value(field, record.get(field), partner_names, row, errors) for field in FIELDS]
            if len(errors) > before:
                continue
        rows.append((row, values))
        if len(record) < len(FIELDS):
            left_out = {name for name in KEEP_WHEN_ABSENT if name not in record}
            if left_out:
                absent[row] = left_out
    return rows, absent, errors


_SCALAR_TYPES = frozenset(_SCALAR)
_YEAR, _PARTNER = FIELDS.index("financial_year"), FIELDS.index("partner")
_TEXT_INDEXES = tuple(index for index, field in enumerate(FIELDS) if field in _TEXT)


def _all_scalar(values) -> bool:
    """Every value a plain one (`_SCALAR`); JSON's own types are checked without isinstance."""
    classes = {value.__class__ for value in values}
    return classes <= _SCALAR_TYPES or all(isinstance(value, _SCALAR) for value in values)


def _plain_values(record: dict, partner_names: dict[int, str], year_labels: dict[int, str]) -> list | None:
    """What `_value` gives for each field of a record it would take without an error, else None.

    Text fields that hold text (or nothing), a year given as an int or text, a partner given as a
    known id or as text; anything else goes to `_value`, which names the field and value.
    """
    values = [record.get(field) for field in FIELDS]
    for index in _TEXT_INDEXES:
        value = values[index]
        if value is not None and value.__class__ is not str and index != _PARTNER:
            return None
    year = values[_YEAR]
    if year.__class__ is int:
        label = year_labels.get(year)
        if label is None:
            label = year_labels[year] = financial_year_label(year)
        values[_YEAR] = label
    elif year.__class__ is not str:
        return None
    partner = values[_PARTNER]
    if partner.__class__ is int:
        if partner not in partner_names:
            return None
        values[_PARTNER] = partner_names[partner]
    elif partner.__class__ is not str:
        return None
    return values


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
