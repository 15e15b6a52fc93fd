"""Importing a monitoring return from xlsx or csv, with the budget import's engine.

The file is read by `budgets.importing.reading.read_sheet` (content sniffing, size and zip-bomb
limits, encodings, unsaved formulas), partners are found by `PartnerDirectory`, years and budget
types by the budget parsers, and errors are the same `RowError`s naming row, column and value.
`build_return_preview` writes nothing; `return_import` writes all of the file as one revision of
the return, or nothing: refused on any row error, or when the return changed since the preview.
Layout: /work/shared/data/monitoring/README.md (one row per budget line; the budget is the line's).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from agreements.budget_values import CellError, financial_year_label, parse_financial_year, text
from agreements.models import Schedule
from budgets.importing.parsing import header_key, normalise, parse_budget_type
from budgets.importing.preview import PartnerDirectory, RowError, find_header
from budgets.importing.reading import FileRefused, read_sheet
from budgets.importing.xlsx_cells import UnsavedFormula
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.services import check_period, monitored_lines, return_save
from budgets.monitoring.values import parse_period, parse_signed_amount
from documents.money import money
from documents.revisions import latest_revision

COLUMNS = {  # header key -> (column label, required)
    "financialyear": ("Financial year", False), "period": ("Period", False), "service": ("Service", True),
    "partner": ("Partner", True), "budgettype": ("Budget type", True),
    "actualtodate": ("Actual to date (£)", True), "forecastoutturn": ("Forecast outturn (£)", True),
    "notes": ("Notes", False),
}
ALIASES = {"year": "financialyear", "fy": "financialyear", "type": "budgettype", "actual": "actualtodate",
           "actuals": "actualtodate", "forecast": "forecastoutturn", "outturn": "forecastoutturn", "note": "notes",
           "month": "period"}
ENTRY_LABELS = (("actual_to_date", "Actual to date"), ("forecast_outturn", "Forecast outturn"), ("notes", "Notes"))


class ReturnImportRefused(Exception):
    def __init__(self, preview: ReturnPreview):
        self.preview = preview
        super().__init__("\n".join([preview.summary(), *(str(e) for e in preview.errors)]))


class ReturnImportConflict(Exception):
    def __init__(self, preview: ReturnPreview):
        self.preview = preview
        super().__init__("The import was not confirmed: someone changed this return after the preview was shown. "
                         "Nothing has been changed; check the new preview and confirm again.")


@dataclass(frozen=True, slots=True)
class LineRef:
    """A budget line as the preview needs it (read as plain values: 10,000 model instances cost seconds)."""

    pk: int
    service: str
    partner_id: int
    budget_type: str
    partner: str  # its partner's name, as the preview shows it


@dataclass
class ParsedEntry:
    row: int
    line: Any  # the schedule's BudgetLine
    actual_to_date: Decimal | None
    forecast_outturn: Decimal | None
    notes: str

    def values(self) -> dict[str, Any]:
        return {"actual_to_date": self.actual_to_date, "forecast_outturn": self.forecast_outturn, "notes": self.notes}


@dataclass
class EntryChange:
    parsed: ParsedEntry
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


@dataclass
class ReturnPreview:
    schedule: Schedule
    filename: str
    checksum: str
    financial_year: int | None = None
    period: int | None = None
    encoding: str = ""
    new: list[EntryChange] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    unchanged_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    fingerprint: str = ""
    entries: list[ParsedEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.financial_year is None or self.period is None:
            return ""
        return f"{financial_year_label(self.financial_year)} P{self.period}"

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    def summary(self) -> str:
        if self.errors:
            return (f"{self.filename} cannot be imported: {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}. "
                    "Nothing has been changed.")
        if not self.has_changes:
            return f"{self.filename}: nothing to change. All {self.unchanged_count} lines are already in the return."
        return f"{self.filename}: {len(self.new)} new, {len(self.changed)} changed, {self.unchanged_count} unchanged."


def _money(value) -> str:
    return money(value) or "(blank)"


def _columns(headers) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(headers):
        key = header_key(heading)
        key = ALIASES.get(key, key)
        if key in COLUMNS and key not in columns:
            columns[key] = index
    return columns


def _closest(service: str, lines) -> str:
    names = sorted({line.service for line in lines})
    close = difflib.get_close_matches(service, names, n=3, cutoff=0.4)
    if not close:
        close = names[:3]
    return " or ".join(f"“{name}”" for name in close) if close else ""


def _memo(parser):
    """`parser`, remembering what it made of each value (the year, period, partner and type repeat on every row).
    Keyed by type as well as value (True == 1); a refusal is not remembered, so it is raised afresh each time."""
    made: dict[tuple, Any] = {}

    def parse(value):
        key = (type(value), value)
        try:
            return made[key]
        except KeyError:
            made[key] = result = parser(value)
            return result
        except TypeError:  # not hashable
            return parser(value)

    return parse


def _parse_rows(preview: ReturnPreview, rows, header_index: int, directory, lines_by_year) -> None:
    header_row, headers = rows[header_index]
    columns = _columns(headers)
    missing = [label for key, (label, required) in COLUMNS.items() if required and key not in columns]
    if missing:
        preview.errors.append(RowError(header_row, "", "", f"The headings in row {header_row} are missing the "
                                       f"column{'s' if len(missing) > 1 else ''} {', '.join(f'“{m}”' for m in missing)}."))
        return
    seen: dict[int, int] = {}
    checked = False

    def cell(values, key):
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    parsers = (("financialyear", _memo(parse_financial_year)), ("period", _memo(parse_period)),
               ("partner", _memo(directory.resolve)), ("budgettype", _memo(parse_budget_type)),
               ("actualtodate", parse_signed_amount), ("forecastoutturn", parse_signed_amount))
    for number, values in rows[header_index + 1:]:
        errors: list[RowError] = []
        for key, (label, _required) in (COLUMNS.items() if any(isinstance(v, UnsavedFormula) for v in values) else ()):
            if isinstance(cell(values, key), UnsavedFormula):
                errors.append(RowError(number, label, cell(values, key).formula[:60],
                                       "the cell holds a formula with no saved value; type the figure instead."))
        if errors:
            preview.errors.extend(errors)
            continue
        parsed: dict[str, Any] = {}
        for key, parser in parsers:
            if key not in columns or (key in ("financialyear", "period") and not text(cell(values, key))):
                continue
            try:
                parsed[key] = parser(cell(values, key))
            except CellError as error:
                errors.append(RowError(number, COLUMNS[key][0], text(cell(values, key)), str(error)))
        for key, attribute in (("financialyear", "financial_year"), ("period", "period")):
            if key in parsed:
                if getattr(preview, attribute) is None:
                    setattr(preview, attribute, parsed[key])
                elif parsed[key] != getattr(preview, attribute):
                    said = financial_year_label(getattr(preview, attribute)) if key == "financialyear" \
                        else f"P{preview.period}"
                    errors.append(RowError(number, COLUMNS[key][0], text(cell(values, key)),
                                           f"this row is for another {COLUMNS[key][0].lower()} than the return "
                                           f"({said}): one file holds one period's return."))
        if not checked and preview.financial_year is not None and preview.period is not None:
            checked = True
            try:
                check_period(preview.schedule, preview.financial_year, preview.period)
            except ValidationError as error:  # the whole file is for a period the schedule cannot have
                preview.errors.append(RowError(number, "Period", preview.label, " ".join(error.messages)))
                return
        service = text(cell(values, "service"))
        notes = text(cell(values, "notes"))
        forecast, actual = parsed.get("forecastoutturn"), parsed.get("actualtodate")
        if forecast is not None and forecast < 0:
            errors.append(RowError(number, "Forecast outturn (£)", text(cell(values, "forecastoutturn")),
                                   "a forecast outturn cannot be negative."))
        if actual is not None and actual < 0 and not notes:
            errors.append(RowError(number, "Actual to date (£)", text(cell(values, "actualtodate")),
                                   "a negative actual is a credit: say why in the Notes column."))
        if not service:
            errors.append(RowError(number, "Service", "", "Enter the service."))
        if errors:
            preview.errors.extend(errors)
            continue
        if preview.financial_year is None:
            preview.errors.append(RowError(number, "Financial year", "", "Enter the financial year, such as 2018/19."))
            continue
        lines = lines_by_year(preview.financial_year)
        line = lines.get((normalise(service), parsed["partner"], parsed["budgettype"]))
        if line is None:
            hint = _closest(service, lines.values())
            preview.errors.append(RowError(
                number, "Service", service,
                f"no {financial_year_label(preview.financial_year)} {parsed['budgettype']} budget line of "
                f"Schedule {preview.schedule.number} matches this service and partner."
                f"{f' The closest lines are {hint}.' if hint else ''}"))
            continue
        if line.pk in seen:
            preview.errors.append(RowError(number, "Service", service,
                                           f"this is the same budget line as row {seen[line.pk]}: keep one of them."))
            continue
        seen[line.pk] = number
        if actual is not None and forecast is not None and forecast < actual:
            preview.warnings.append(RowError(number, "Forecast outturn (£)", text(cell(values, "forecastoutturn")),
                                             f"the forecast is below the actual to date ({_money(actual)}): check it."))
        preview.entries.append(ParsedEntry(number, line, actual, forecast, notes))


def _fingerprint(monitoring_return: MonitoringReturn | None) -> str:
    revision = latest_revision(monitoring_return) if monitoring_return is not None else None
    return hashlib.sha256(repr(("return", revision.pk if revision else None)).encode()).hexdigest()


def _stored(preview: ReturnPreview) -> MonitoringReturn | None:
    if preview.financial_year is None or preview.period is None:
        return None
    return MonitoringReturn.objects.filter(schedule=preview.schedule, financial_year=preview.financial_year,
                                           period=preview.period).first()


def build_return_preview(*, schedule: Schedule, filename: str, content: bytes, financial_year: int | None = None,
                         period: int | None = None) -> ReturnPreview:
    """What importing the file would do to the period's return; writes nothing."""
    preview = ReturnPreview(schedule=schedule, filename=filename, checksum=hashlib.sha256(content).hexdigest(),
                            financial_year=financial_year, period=period)
    try:
        sheet = read_sheet(filename, content)
    except FileRefused as error:
        preview.errors.append(RowError(None, "", "", str(error)))
        return preview
    preview.encoding = sheet.encoding
    header_index = find_header(sheet.rows)
    cache: dict[int, dict] = {}

    def lines_by_year(year: int) -> dict[tuple, Any]:
        """The year's lines by (service, partner, budget type), as a row names them."""
        if year not in cache:
            rows = monitored_lines(schedule, year).values_list("pk", "service", "partner_id", "budget_type",
                                                               "partner__name")
            cache[year] = {(normalise(service), partner_id, budget_type): LineRef(*row)
                           for row in rows for (_pk, service, partner_id, budget_type, _name) in [row]}
        return cache[year]

    _parse_rows(preview, sheet.rows, header_index, PartnerDirectory(schedule), lines_by_year)
    if not preview.errors and preview.period is None:
        preview.errors.append(RowError(None, "Period", "", "The file gives no period: add a Period column (P1 to "
                                                          "P12) or say which period it is for."))
    if not preview.errors and not preview.entries:
        preview.errors.append(RowError(None, "", "", "The file has headings but no lines below them."))
    if preview.errors:
        return preview
    try:
        check_period(schedule, preview.financial_year, preview.period)
    except ValidationError as error:
        preview.errors.append(RowError(None, "Period", preview.label, " ".join(error.messages)))
        return preview
    stored_return = _stored(preview)
    stored = {} if stored_return is None else {
        e["budget_line_id"]: e for e in stored_return.entries.values("budget_line_id", *(n for n, _l in ENTRY_LABELS))}
    for parsed in preview.entries:
        entry = stored.get(parsed.line.pk)
        if entry is None:
            preview.new.append(EntryChange(parsed))
            continue
        change = EntryChange(parsed)
        for name, label in ENTRY_LABELS:
            old, new = entry[name], getattr(parsed, name)
            if old != new:
                shown = (old or "(blank)", new or "(blank)") if name == "notes" else (_money(old), _money(new))
                change.changes.append((label, *shown))
        if change.changes:
            preview.changed.append(change)
        else:
            preview.unchanged_count += 1
    preview.fingerprint = _fingerprint(stored_return)
    return preview


def return_import(*, schedule: Schedule, filename: str, content: bytes, user=None, reason: str = "",
                  financial_year: int | None = None, period: int | None = None,
                  expected_fingerprint: str | None = None) -> tuple[ReturnPreview, MonitoringReturn | None]:
    """Import the whole file as one revision of the return, or nothing.

    Entries the file does not mention are kept. Raises ReturnImportRefused (row errors) or
    ReturnImportConflict (the return changed since the preview's `expected_fingerprint`).
    """
    preview = build_return_preview(schedule=schedule, filename=filename, content=content,
                                   financial_year=financial_year, period=period)
    if preview.errors:
        raise ReturnImportRefused(preview)
    if expected_fingerprint is not None and preview.fingerprint != expected_fingerprint:
        raise ReturnImportConflict(preview)
    if not preview.has_changes:
        return preview, _stored(preview)
    stored_return = _stored(preview)
    values = {} if stored_return is None else {
        e["budget_line_id"]: {k: e[k] for k in ("actual_to_date", "forecast_outturn", "notes")}
        for e in stored_return.entries.values("budget_line_id", "actual_to_date", "forecast_outturn", "notes")}
    values |= {parsed.line.pk: parsed.values() for parsed in preview.entries}
    saved = return_save(schedule=schedule, financial_year=preview.financial_year, period=preview.period,
                        values=values, user=user, reason=reason or f"Imported {filename}",
                        expected_edit_count=stored_return.edit_count if stored_return else None)
    return preview, saved
