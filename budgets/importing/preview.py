"""What an import would do: the file's lines compared with the schedule's, and every error by row.

`build_preview` writes nothing. Its fingerprint covers the stored state of every line the file
touches, so a confirm can tell whether anyone changed those lines since the preview was shown.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from agreements.budget_values import PENNY, CellError, financial_year_label, parse_financial_year, text
from agreements.models import BudgetLine, BudgetStatus, Schedule
from budgets.importing.parsing import (
    SCHEDULE_KEYS,
    AmountCell,
    header_key,
    normalise,
    parse_amount_cell,
    parse_budget_type,
    parse_schedule_number,
    parse_status,
    parse_table_cell,
    parse_yes_no,
)
from budgets.importing.reading import FileRefused, read_sheet
from budgets.importing.xlsx_cells import UnsavedFormula
from budgets.models import ImportLayout
from documents.money import money
from partnerships.models import Partner

# Budget-lines layout: header key → (field, column label, required)
COLUMNS = {
    "financialyear": ("financial_year", "Financial year", True),
    "service": ("service", "Service", True),
    "partner": ("partner", "Partner", True),
    "budgettype": ("budget_type", "Budget type", True),
    "amount": ("amount", "Amount (£)", False),
    "status": ("status", "Status", False),
    "ringfencedpublichealth": ("ring_fenced_public_health", "Ring-fenced public health", False),
    "notes": ("notes", "Notes", False),
}
HEADER_ALIASES = {"year": "financialyear", "fy": "financialyear", "type": "budgettype", "amountgbp": "amount",
                  "amountpounds": "amount", "note": "notes", "ringfenced": "ringfencedpublichealth",
                  "publichealthringfenced": "ringfencedpublichealth"}
FIELD_LABELS = {
    "amount": "Amount (£)", "status": "Status", "ring_fenced_public_health": "Ring-fenced public health",
    "notes": "Notes",
}
COMPARED = ("amount", "status", "ring_fenced_public_health", "notes")


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        column = f", column “{self.column}”" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ParsedLine:
    row: int
    service: str
    partner_id: int
    financial_year: int
    budget_type: str
    amount: Decimal | None
    status: str
    ring_fenced_public_health: bool | None  # None: the file does not say; keep what is stored
    notes: str | None
    partner_name: str = ""

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def status_label(self) -> str:
        return BudgetStatus(self.status).label

    @property
    def amount_label(self) -> str:
        return format_amount(self.amount)

    @functools.cached_property
    def key(self) -> tuple:
        """(service, partner, year, type): worked out once, as nothing changes those after parsing."""
        return (normalise(self.service), self.partner_id, self.financial_year, self.budget_type)


@dataclass
class LineChange:
    parsed: ParsedLine
    line: BudgetLine | None  # the stored line, or None for a new one
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


def refusal_summary(filename: str, errors: list[RowError]) -> str:
    """The sentence over a refused file's errors: how many, in how many rows, and that nothing changed."""
    rows = sorted({e.row for e in errors if e.row})
    where = f" in {len(rows)} row{'s' if len(rows) != 1 else ''}" if rows else ""
    return (f"{filename} cannot be imported: {len(errors)} "
            f"error{'s' if len(errors) != 1 else ''}{where}. Nothing has been changed.")


@dataclass
class ImportPreview:
    schedule: Schedule
    filename: str
    checksum: str
    layout: str = ""
    financial_year: int | None = None
    budget_type: str = ""
    encoding: str = ""
    new: list[LineChange] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)
    unchanged_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    fingerprint: str = ""
    partner_names: dict[int, str] = field(default_factory=dict)

    @property
    def layout_label(self) -> str:
        return ImportLayout(self.layout).label if self.layout else ""

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year) if self.financial_year else ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    def summary(self) -> str:
        if self.errors:
            return refusal_summary(self.filename, self.errors)
        if not self.has_changes:
            return (f"{self.filename}: nothing to change. All {self.unchanged_count} lines in the file are already "
                    "in the schedule exactly as they are.")
        return (f"{self.filename}: {len(self.new)} new, {len(self.changed)} changed, "
                f"{self.unchanged_count} unchanged.")


def format_amount(amount: Decimal | None) -> str:
    return money(amount)


def _display(name: str, value) -> str:
    if name == "amount":
        return format_amount(value) or "(blank)"
    if name == "status":
        return BudgetStatus(value).label
    if name == "ring_fenced_public_health":
        return "Yes" if value else "No"
    return value or "(blank)"


class PartnerDirectory:
    """Finds a partner by name, short name or code, and says why when it cannot."""

    def __init__(self, schedule: Schedule):
        self.agreement = schedule.agreement
        self.party_ids = set(self.agreement.parties.values_list("partner_id", flat=True))
        self.by_key: dict[str, Partner] = {}
        self.names: dict[int, str] = {}
        partners = list(Partner.objects.all())
        for partner in sorted(partners, key=lambda p: p.pk not in self.party_ids):  # parties win ties
            self.names[partner.pk] = partner.name
            for label in (partner.name, partner.short_name, partner.code):
                if label:
                    self.by_key.setdefault(normalise(label), partner)
        self._cache: dict[str, int] = {}

    def resolve(self, value) -> int:
        raw = text(value)
        key = normalise(raw)
        if key in self._cache:
            return self._cache[key]
        if not key:
            raise CellError("Enter the partner.")
        partner = self.by_key.get(key)
        if partner is None:
            candidates = {normalise(k): k for k in self.by_key}
            close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.5)
            names = []
            for match in close:
                name = self.by_key[match].name
                if name not in names:
                    names.append(name)
            hint = f" Did you mean {' or '.join(f'“{n}”' for n in names)}?" if names else ""
            raise CellError(f"“{raw}” is not a partner we know.{hint}")
        if partner.pk not in self.party_ids:
            parties = ", ".join(self.names[pk] for pk in sorted(self.party_ids, key=lambda pk: self.names[pk]))
            raise CellError(
                f"{partner.name} is not a party to agreement {self.agreement.reference} (its parties are {parties})."
            )
        self._cache[key] = partner.pk
        return partner.pk


def _shortened_formula(formula: str, room: int = 30) -> str:
    """A formula short enough to quote in a sentence: whole, or its function's name, =HYPERLINK(…)."""
    if len(formula) <= room:
        return formula
    function = re.match(r"=\s*([A-Za-z_][A-Za-z0-9_.]*)\(", formula)
    return f"={function.group(1)}(…)" if function else formula[: room - 1] + "…"


def formula_error(row: int, column: str, cell: UnsavedFormula) -> RowError:
    value = cell.formula if len(cell.formula) <= 200 else cell.formula[:199] + "…"
    return RowError(row, column, value, f"the cell holds a formula ({_shortened_formula(cell.formula)}) with no "
                                        "saved value; type the text instead.")


def find_header(rows) -> int:
    """The heading row: the first of the first ten rows with a “Service” cell, else the first row."""
    for index, (_number, values) in enumerate(rows[:10]):
        if any(header_key(v) == "service" for v in values):
            return index
    return 0


def _status_and_amount(row: int, amount, status, errors: list[RowError]) -> str | None:
    if status is None:
        if amount is None:
            errors.append(RowError(row, "Amount (£)", "", "Enter an amount, or a status saying why there is none "
                                                          "(To be agreed, Not applicable, Within block contract)."))
            return None
        return BudgetStatus.CONFIRMED
    if status == BudgetStatus.CONFIRMED and amount is None:
        errors.append(RowError(row, "Amount (£)", "", "A confirmed line needs an amount."))
        return None
    if status == BudgetStatus.NOT_APPLICABLE and amount is not None:
        errors.append(RowError(row, "Amount (£)", format_amount(amount),
                               "A line that is not applicable cannot have an amount: clear the amount or the status."))
        return None
    return status


def _line_status_and_notes(row: int, amount_cell: AmountCell, amount_value, status: str | None, status_value,
                           notes: str | None, errors: list[RowError]) -> tuple[str | None, str | None] | None:
    """The line's status and notes from its Amount cell, which may say a status or hold a note, and its own columns.

    A status word in the Amount cell stands unless the Status column says a different one; a note in the
    Amount cell is the line's note unless the Notes column holds a different one. None when they disagree.
    """
    if amount_cell.status is not None:
        if status is not None and status != amount_cell.status:
            errors.append(RowError(row, "Status", text(status_value), (
                f"The Amount (£) column says “{text(amount_value)}” but the Status column says "
                f"“{text(status_value)}”: make them agree, or leave the Status blank.")))
            return None
        status = amount_cell.status
    if amount_cell.notes:
        if notes and normalise(notes) != normalise(amount_cell.notes):
            errors.append(RowError(row, "Notes", notes, (
                f"The Amount (£) column has a note of its own, “{amount_cell.notes}”, as well as this one: "
                "keep the note in one of them.")))
            return None
        notes = notes or amount_cell.notes
    return status, notes


def _budget_columns(headers) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(headers):
        key = header_key(heading)
        key = HEADER_ALIASES.get(key, key)
        if key in COLUMNS and key not in columns:
            columns[key] = index
    return columns


# The per-value parsers of a budget-lines row, in the order their errors are listed.
_VALUE_PARSERS = (("financialyear", parse_financial_year), ("budgettype", parse_budget_type),
                  ("partner", None), ("amount", parse_amount_cell), ("status", parse_status),
                  ("ringfencedpublichealth", parse_yes_no))
# Columns whose values repeat down a file (years, partners, types, statuses, yes/no, services, notes):
# each distinct value is read once per file (`_RowReader`).
_REPEATING = ("financialyear", "budgettype", "partner", "status", "ringfencedpublichealth")
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")  # "1000.50": read as parse_amount reads it
_BLANK_AMOUNT = AmountCell(None, None, "")
# Types whose equal values read alike (unlike Decimal("1") and Decimal("1.0")): only these are remembered.
_REMEMBERED = frozenset({str, int, float, bool, type(None)})


class _NeedsFullCheck(Exception):
    """The row has a value the fast reading does not vouch for: the full check reads it, with its errors."""


class _RowReader:
    """Reads a budget-lines row's values, each distinct value once per file.

    `fast` returns what the full check (`_checked_values`) returns for a row with no errors, or
    raises `_NeedsFullCheck` when any value is a formula, fails its parser, or is not a plain
    value; the full check then gives that row's errors exactly as before. Every parser here is a
    function of the value alone (the partner's of the file's directory), so a value read once
    reads the same on every row; values are keyed with their type, so 1, 1.0 and True stay apart.
    """

    def __init__(self, columns: dict[str, int], directory: PartnerDirectory):
        self.columns = columns
        parsers = dict(_VALUE_PARSERS, partner=directory.resolve)
        self.repeating = [(key, columns[key], parsers[key], {}) for key in _REPEATING if key in columns]
        self.amount = columns.get("amount")
        self.service = columns["service"]
        self.notes = columns.get("notes")
        self.texts: dict = {}

    def _text(self, value) -> str:
        if value.__class__ not in _REMEMBERED:
            if isinstance(value, UnsavedFormula):
                raise _NeedsFullCheck
            return text(value)
        cache_key = (value.__class__, value)
        try:
            return self.texts[cache_key]
        except KeyError:
            result = self.texts[cache_key] = text(value)
            return result

    def fast(self, values) -> tuple[dict, str, str | None]:
        width = len(values)
        parsed = {}
        for key, index, parser, cache in self.repeating:
            value = values[index] if index < width else None
            remembered = value.__class__ in _REMEMBERED
            if remembered:
                cache_key = (value.__class__, value)
                if cache_key in cache:
                    parsed[key] = cache[cache_key]
                    continue
            elif isinstance(value, UnsavedFormula):
                raise _NeedsFullCheck
            try:
                parsed[key] = parser(value)
            except CellError:
                raise _NeedsFullCheck from None
            if remembered:
                cache[cache_key] = parsed[key]
        if self.amount is not None:
            value = values[self.amount] if self.amount < width else None
            if value.__class__ is str and _PLAIN_AMOUNT.fullmatch(value):
                parsed["amount"] = AmountCell(Decimal(value).quantize(PENNY), None, "")
            elif value is None:
                parsed["amount"] = _BLANK_AMOUNT
            else:
                if isinstance(value, UnsavedFormula):
                    raise _NeedsFullCheck
                try:
                    parsed["amount"] = parse_amount_cell(value)
                except CellError:
                    raise _NeedsFullCheck from None
        service = self._text(values[self.service] if self.service < width else None)
        if not service or len(service) > 300:
            raise _NeedsFullCheck
        notes = None
        if self.notes is not None:
            notes = self._text(values[self.notes] if self.notes < width else None)
        return parsed, service, notes


def _checked_values(number: int, values, columns: dict[str, int], directory: PartnerDirectory,
                    row_errors: list[RowError]) -> tuple[dict, str, str | None]:
    """Every value of a row checked, each error added to `row_errors` naming its row, column and value."""

    def cell(key):
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    parsed = {}
    formulas = set()
    for key in columns:
        value = cell(key)
        if isinstance(value, UnsavedFormula):
            formulas.add(key)
            row_errors.append(formula_error(number, COLUMNS[key][1], value))
    for key, parser in _VALUE_PARSERS:
        if key not in columns or key in formulas:
            continue
        value = cell(key)
        try:
            parsed[key] = (parser or directory.resolve)(value)
        except CellError as error:
            row_errors.append(RowError(number, COLUMNS[key][1], text(value), str(error)))
    service = text(cell("service"))
    if "service" not in formulas and not service:
        row_errors.append(RowError(number, "Service", "", "Enter the service."))
    elif "service" not in formulas and len(service) > 300:
        row_errors.append(RowError(number, "Service", service[:60] + "…", "A service name can be 300 characters "
                                                                           "at most."))
    notes = text(cell("notes")) if "notes" in columns else None
    return parsed, service, notes


def missing_columns_error(header_row: int, headers) -> RowError | None:
    """The error naming the required budget-lines columns a heading row lacks; None when it has them all."""
    columns = _budget_columns(headers)
    missing = [label for key, (_f, label, required) in COLUMNS.items() if required and key not in columns]
    if not missing:
        return None
    return RowError(header_row, "", "", f"The headings in row {header_row} are missing the required "
                    f"column{'s' if len(missing) > 1 else ''} {', '.join(f'“{m}”' for m in missing)}.")


def _parse_budget_lines(rows, header_index, directory, errors) -> list[ParsedLine]:
    header_row, headers = rows[header_index]
    missing = missing_columns_error(header_row, headers)
    if missing is not None:
        errors.append(missing)
        return []
    columns = _budget_columns(headers)
    lines = []
    reader = _RowReader(columns, directory)
    amount_index, status_index = columns.get("amount"), columns.get("status")
    for number, values in rows[header_index + 1:]:
        try:
            parsed, service, notes = reader.fast(values)
        except _NeedsFullCheck:
            row_errors: list[RowError] = []
            parsed, service, notes = _checked_values(number, values, columns, directory, row_errors)
            if row_errors:
                errors.extend(row_errors)
                continue
        amount_cell = parsed.get("amount") or _BLANK_AMOUNT
        status = parsed.get("status")
        if amount_cell.status is not None or amount_cell.notes:
            width = len(values)
            said = _line_status_and_notes(
                number, amount_cell, values[amount_index] if amount_index is not None and amount_index < width else None,
                status, values[status_index] if status_index is not None and status_index < width else None,
                notes, errors)
            if said is None:
                continue
            status, notes = said
        status = _status_and_amount(number, amount_cell.amount, status, errors)
        if status is None:
            continue
        lines.append(ParsedLine(
            row=number, service=service, partner_id=parsed["partner"], financial_year=parsed["financialyear"],
            budget_type=parsed["budgettype"], amount=amount_cell.amount, status=status,
            ring_fenced_public_health=parsed.get("ringfencedpublichealth"), notes=notes,
        ))
    return lines


def _parse_schedule_table(rows, header_index, directory, errors, financial_year, budget_type) -> list[ParsedLine]:
    header_row, headers = rows[header_index]
    if financial_year is None or not budget_type:
        errors.append(RowError(None, "", "", "This file is a schedule table (Service, then one column per partner): "
                                              "choose the financial year and the budget type it is for."))
    partner_columns: list[tuple[int, int, str]] = []
    service_index = next(i for i, v in enumerate(headers) if header_key(v) == "service") \
        if any(header_key(v) == "service" for v in headers) else 0
    for index, heading in enumerate(headers):
        if index == service_index or not text(heading) or header_key(heading) in ("total", "notes"):
            continue
        try:
            partner_columns.append((index, directory.resolve(heading), text(heading)))
        except CellError as error:
            errors.append(RowError(header_row, text(heading), text(heading), str(error)))
    if not partner_columns and not errors:
        errors.append(RowError(header_row, "", "", f"Row {header_row} has no partner columns: a schedule table has "
                                                   "“Service” then one column per partner."))
    if errors:
        return []
    lines = []
    for number, values in rows[header_index + 1:]:
        service_cell = values[service_index] if service_index < len(values) else None
        if isinstance(service_cell, UnsavedFormula):
            errors.append(formula_error(number, text(headers[service_index]) or "Service", service_cell))
            errors.extend(formula_error(number, heading, values[index]) for index, _id, heading in partner_columns
                          if index < len(values) and isinstance(values[index], UnsavedFormula))
            continue
        service = text(service_cell)
        if normalise(service) in ("total", "totals", "grand total"):
            continue
        if not service:
            errors.append(RowError(number, text(headers[service_index]) or "Service", "", "Enter the service."))
            continue
        for index, partner_id, heading in partner_columns:
            value = values[index] if index < len(values) else None
            if isinstance(value, UnsavedFormula):
                errors.append(formula_error(number, heading, value))
                continue
            try:
                cell = parse_table_cell(value)
            except CellError as error:
                errors.append(RowError(number, heading, text(value), str(error)))
                continue
            if cell is None:
                continue
            lines.append(ParsedLine(
                row=number, service=service, partner_id=partner_id, financial_year=financial_year,
                budget_type=budget_type, amount=cell.amount, status=cell.status, ring_fenced_public_health=None,
                notes=cell.notes,
            ))
    return lines


def _is_schedule_table_heading(headers, directory: PartnerDirectory) -> bool:
    """A schedule table's heading row has a “Service” heading, or at least a partner's name over a column."""
    return any(header_key(heading) == "service" or normalise(heading) in directory.by_key for heading in headers)


def detect_layout(headers) -> str:
    keys = {HEADER_ALIASES.get(header_key(h), header_key(h)) for h in headers}
    if keys & {"financialyear", "partner", "budgettype", "amount", "status"}:
        return ImportLayout.BUDGET_LINES
    return ImportLayout.SCHEDULE_TABLE


def parse_file(
    *, schedule: Schedule, filename: str, content: bytes, layout: str | None = None,
    financial_year: int | None = None, budget_type: str = "",
) -> tuple[str, list[ParsedLine], list[RowError], str]:
    """(layout, lines, errors, encoding) of a file, checked line by line against the agreement's partners."""
    errors: list[RowError] = []
    try:
        sheet = read_sheet(filename, content)
    except FileRefused as error:
        return layout or "", [], [RowError(None, "", "", str(error))], ""
    rows = sheet.rows
    header_index = find_header(rows)
    header_row, headers = rows[header_index]
    formulas = [formula_error(header_row, get_column_letter(index + 1), value)
                for index, value in enumerate(headers) if isinstance(value, UnsavedFormula)]
    if formulas:  # the headings say what every column is: nothing below can be read without them
        return layout or "", [], formulas, sheet.encoding
    layout = layout or detect_layout(headers)
    directory = PartnerDirectory(schedule)
    if layout == ImportLayout.SCHEDULE_TABLE and not _is_schedule_table_heading(headers, directory):
        return "", [], [RowError(header_row, "", "", (
            "These are not the headings of a budget file: a budget-lines file has the headings "
            "Financial year, Service, Partner, Budget type and Amount (£); a schedule table has Service, then one "
            "column per partner."))], sheet.encoding
    if layout == ImportLayout.BUDGET_LINES:
        errors += _lines_for_other_schedules(rows, header_index, schedule)
        lines = _parse_budget_lines(rows, header_index, directory, errors)
    else:
        lines = _parse_schedule_table(rows, header_index, directory, errors, financial_year, budget_type)
    if len(rows) <= header_index + 1 and not errors:
        errors.append(RowError(rows[header_index][0] + 1, "", "", f"The file has headings in row "
                               f"{rows[header_index][0]} but no lines below them."))
    _check_duplicates(lines, directory.names, errors)
    return layout, lines, errors, sheet.encoding


def _lines_for_other_schedules(rows, header_index: int, schedule: Schedule) -> list[RowError]:
    """A file with a Schedule column (the agreement-wide export) brought to one schedule's import:
    each row naming another schedule is refused, rather than its line landing in this schedule."""
    headers = rows[header_index][1]
    column = next((index for index, heading in enumerate(headers) if header_key(heading) in SCHEDULE_KEYS), None)
    if column is None:
        return []
    errors = []
    for number, values in rows[header_index + 1:]:
        cell = values[column] if column < len(values) else None
        if cell in (None, ""):
            continue
        try:
            named = parse_schedule_number(cell)
        except CellError:
            named = None
        if named != schedule.number:
            errors.append(RowError(number, str(headers[column]), text(cell), (
                f"This line is for {'another schedule' if named is None else f'Schedule {named}'}, and this import is "
                f"for Schedule {schedule.number}. Import a file for the whole agreement from the agreement's page, "
                f"or keep only Schedule {schedule.number}'s lines.")))
    return errors


def _check_duplicates(lines: list[ParsedLine], names: dict[int, str], errors: list[RowError]) -> None:
    """Name each line's partner, and refuse a second line for the same service, partner, year and type."""
    seen: dict[tuple, ParsedLine] = {}
    for line in lines:
        line.partner_name = names[line.partner_id]
        first = seen.setdefault(line.key, line)
        if first is not line:
            errors.append(RowError(
                line.row, "Service", line.service,
                f"This is the same line as row {first.row} ({line.service}, {names[line.partner_id]}, "
                f"{financial_year_label(line.financial_year)}, {line.budget_type}): keep one of them.",
            ))


def _fingerprint(keys, existing: dict[tuple, BudgetLine]) -> str:
    digest = hashlib.sha256()
    for shown, key in sorted((repr(key), key) for key in keys):  # repr((key, state)), each key's repr made once
        line = existing.get(key)
        state = "absent" if line is None else (line.pk, line.service, str(line.amount), line.status,
                                               line.ring_fenced_public_health, line.notes)
        digest.update(f"({shown}, {state!r})".encode())
    return digest.hexdigest()


def build_preview(
    *, schedule: Schedule, filename: str, content: bytes, layout: str | None = None,
    financial_year: int | None = None, budget_type: str = "",
) -> ImportPreview:
    """Compare the file with the schedule's lines; writes nothing."""
    preview = ImportPreview(
        schedule=schedule, filename=filename, checksum=hashlib.sha256(content).hexdigest(),
        financial_year=financial_year, budget_type=budget_type or "",
    )
    preview.layout, lines, preview.errors, preview.encoding = parse_file(
        schedule=schedule, filename=filename, content=content, layout=layout,
        financial_year=financial_year, budget_type=budget_type,
    )
    preview.partner_names = dict(Partner.objects.values_list("pk", "name"))
    if preview.errors:
        return preview
    return _compare(preview, lines)


def build_preview_from_rows(
    *, schedule: Schedule, label: str, rows: list[tuple[int, list]], absent: dict[int, set[str]] | None = None,
) -> ImportPreview:
    """The same preview for lines that come as rows rather than in a file (the API's JSON lines).

    `rows` are (row number, values) with the budget-lines headings first (`ROW_HEADINGS`), checked
    exactly as a budget-lines file's rows are. `absent` names, by row, the optional fields a row
    did not give ("ring_fenced_public_health", "notes"): those keep what is stored, as a file without
    the column does. Writes nothing.
    """
    preview = ImportPreview(schedule=schedule, filename=label, checksum="", layout=ImportLayout.BUDGET_LINES)
    directory = PartnerDirectory(schedule)
    lines = _parse_budget_lines(rows, 0, directory, preview.errors)
    for line in lines:
        for name in (absent or {}).get(line.row, ()):
            setattr(line, name, None)
    _check_duplicates(lines, directory.names, preview.errors)
    preview.partner_names = directory.names
    if preview.errors:
        return preview
    return _compare(preview, lines)


ROW_HEADINGS = [label for _field, label, _required in COLUMNS.values()]


def _compare(preview: ImportPreview, lines: list[ParsedLine]) -> ImportPreview:
    schedule = preview.schedule
    existing = {
        (normalise(line.service), line.partner_id, line.financial_year, line.budget_type): line
        for line in BudgetLine.objects.filter(schedule=schedule)
    }
    for parsed in lines:
        line = existing.get(parsed.key)
        if line is None:
            preview.new.append(LineChange(parsed, None))
            continue
        change = LineChange(parsed, line)
        for name in COMPARED:
            new = getattr(parsed, name)
            if new is None and name in ("ring_fenced_public_health", "notes"):
                continue  # the file has no such column: keep what is stored
            old = getattr(line, name)
            if old != new:
                change.changes.append((FIELD_LABELS[name], _display(name, old), _display(name, new)))
        if change.changes:
            preview.changed.append(change)
        else:
            preview.unchanged_count += 1
    preview.fingerprint = _fingerprint([p.key for p in lines], existing)
    return preview
