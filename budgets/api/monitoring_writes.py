"""Reading a PUT of a return's figures into `return_save`'s values, with the page editor's own checks.

Each JSON line becomes the editor's row (`budgets.monitoring.editing.EditorRow`) and is read by
`editing.read_rows`, so an amount, a credit without a note, a negative forecast or a forecast
below the actual is judged exactly as on the page; only what JSON adds (types, unknown keys,
budget line ids) is checked here. Every error names its line's number (from 1), field and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from agreements.budget_values import financial_year_label
from budgets.monitoring import editing

LINE_FIELDS = ("budget_line", "actual_to_date", "forecast_outturn", "notes")
SHORT = {short: key for key, short, _label in editing.COLUMNS}  # the editor's "actual" -> "actual_to_date"
MAX_LINES = 10_000


@dataclass
class ReadLines:
    values: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)


def _cell(value: Any) -> str | None:
    """A JSON value as the editor's text cell, or None for a type no cell could hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float, Decimal)):
        return str(value)
    return None


def read_lines(sent: list[Any], lines, *, schedule_number: int, financial_year: int) -> ReadLines:
    """`sent` (the body's lines) against the schedule's budget lines of the year; errors and warnings by row."""
    result = ReadLines()
    by_pk = {line.pk: line for line in lines}
    seen: dict[int, int] = {}
    for row, item in enumerate(sent, start=1):
        before = len(result.errors)

        def error(name: str, value: Any, message: str, row=row) -> None:
            result.errors.append({"row": row, "field": name, "value": value, "message": message})

        if not isinstance(item, dict):
            error("", item, "Send each line as an object with budget_line, actual_to_date, forecast_outturn and notes.")
            continue
        unknown = sorted(set(item) - set(LINE_FIELDS))
        for name in unknown:
            error(name, item[name], f"“{name}” is not a field of a line: use {', '.join(LINE_FIELDS)}.")
        pk = item.get("budget_line")
        line = None
        if "budget_line" not in item:
            error("budget_line", None, "Give the budget line's id (from GET /schedules/{id}/budget-lines/).")
        elif isinstance(pk, bool) or not isinstance(pk, int):
            error("budget_line", pk, f"“{pk}” is not a budget line id: send the id as a whole number.")
        elif pk not in by_pk:
            error("budget_line", pk, f"Budget line {pk} is not a line of Schedule {schedule_number} for "
                                     f"{financial_year_label(financial_year)}.")
        elif pk in seen:
            error("budget_line", pk, f"This is the same budget line as line {seen[pk]}: send each line once.")
        else:
            seen[pk] = row
            line = by_pk[pk]
        cells = {}
        for key, short, _label in editing.COLUMNS:
            value = item.get(key)
            cell = _cell(value)
            if cell is None or (key == "notes" and value is not None and not isinstance(value, str)):
                kind = "text" if key == "notes" else "an amount in pounds and pence as a string, such as \"1234.50\""
                error(key, value, f"“{value}” is not {kind}.")
                cell = ""
            cells[short] = cell
        if len(result.errors) > before:
            continue
        editor_row = editing.EditorRow(line, cells)
        values, errors, warnings = editing.read_rows([editor_row])
        for short, message in editor_row.errors.items():
            key = SHORT[short]
            error(key, item.get(key), next((e["message"] for e in errors if e["anchor"] == editor_row.name(short)),
                                           message))
        result.warnings.extend({"row": row, "field": "forecast_outturn", "message": w} for w in warnings)
        if not editor_row.errors:
            result.values.update(values)
    return result
