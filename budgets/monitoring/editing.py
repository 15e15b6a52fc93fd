"""The table editor of a return: one row per budget line of the year, read from the posted form.

Every cell is parsed with the import's parsers (`budgets.monitoring.values`); an error names the
line and the column, and links to the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agreements.budget_values import CellError
from budgets.monitoring.values import parse_signed_amount
from documents.money import money

COLUMNS = (("actual_to_date", "actual", "Actual to date (£)"), ("forecast_outturn", "forecast", "Forecast outturn (£)"),
           ("notes", "notes", "Notes"))


@dataclass
class EditorRow:
    line: Any
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def name(self, short: str) -> str:
        return f"line-{self.line.pk}-{short}"


def editor_rows(lines, entries: dict[int, dict[str, Any]], data=None) -> list[EditorRow]:
    """Rows for the editor: what was posted, else the stored entry, else blank."""
    rows = []
    for line in lines:
        if data is not None:
            values = {short: data.get(f"line-{line.pk}-{short}", "") for _key, short, _label in COLUMNS}
        else:
            stored = entries.get(line.pk, {})
            values = {short: "" if stored.get(key) in (None, "") else str(stored[key]) for key, short, _l in COLUMNS}
        rows.append(EditorRow(line, values))
    return rows


def read_rows(rows: list[EditorRow]) -> tuple[dict[int, dict[str, Any]], list[dict[str, str]], list[str]]:
    """(values for `return_save`, errors with anchors, warnings) from the posted rows; blank rows have no entry."""
    values, errors, warnings = {}, [], []
    for row in rows:
        if not any(v.strip() for v in row.values.values()):
            continue
        parsed: dict[str, Any] = {"notes": row.values["notes"].strip()}
        for key, short, label in COLUMNS[:2]:
            try:
                parsed[key] = parse_signed_amount(row.values[short])
            except CellError as error:
                row.errors[short] = str(error)
                errors.append({"anchor": row.name(short),
                               "message": f"{row.line.service} ({row.line.partner}), {label.lower()}: {error}"})
        forecast = parsed.get("forecast_outturn")
        if forecast is not None and forecast < 0:
            row.errors["forecast"] = "A forecast outturn cannot be negative."
            errors.append({"anchor": row.name("forecast"), "message": f"{row.line.service} ({row.line.partner}), "
                                                                       f"forecast outturn: “{row.values['forecast']}” "
                                                                       "is negative; a forecast cannot be."})
        actual = parsed.get("actual_to_date")
        if actual is not None and actual < 0 and not parsed["notes"]:
            row.errors["notes"] = "Say why the actual to date is a credit."
            errors.append({"anchor": row.name("notes"), "message": f"{row.line.service} ({row.line.partner}), notes: "
                                                                    f"the actual to date {money(actual)} is a credit; "
                                                                    "say why in the notes."})
        if actual is not None and forecast is not None and 0 <= forecast < actual:
            warnings.append(f"{row.line.service} ({row.line.partner}): the forecast outturn {money(forecast)} is below "
                            f"the actual to date {money(actual)}. Check it is right.")
        values[row.line.pk] = parsed
    return values, errors, warnings
