"""A schedule's budget lines edited as one table: the filter, the rows as posted, and the merge.

The table page (`agreements.budget_table_views`) shows the lines of one financial year and budget
type at a time (or all of them). Its rows are posted as the kernel's item list
(`documents.item_lists`: ``budget_lines-count``, ``budget_lines-<i>-<field>``) and read with the
same field specs as the schedule's edit page, so years ("2018/19") and amounts ("£4,388,588") are
read exactly as there and as the budget import reads them. Errors name the table's row and field.

On save the lines outside the filter are carried over from the schedule's snapshot unchanged, in
their places; the filtered lines are replaced by the posted rows, new rows last, and the whole list goes to
`schedule_update` as a partial document (only ``budget_lines``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict

from agreements.budget_values import CellError, financial_year_label, parse_financial_year
from agreements.forms import ChangeReasonMixin, schedule_item_lists
from agreements.models import Agreement, BudgetType
from agreements.presenters import BUDGET_TYPE_LABELS, money
from agreements.snapshots import BUDGET_LINE_FIELDS
from documents.forms import GovukFormMixin
from documents.item_lists import ItemList, bound_rows

LIST = "budget_lines"
# The table's columns, left to right (the posted names are the item list's).
COLUMNS = ("financial_year", "service", "partner_id", "budget_type", "amount", "status",
           "ring_fenced_public_health", "notes")
ROW_LABELS = {"amount": "Amount", "ring_fenced_public_health": "Ring-fenced public health"}


class BudgetLinesForm(GovukFormMixin, ChangeReasonMixin):
    """The reason for the change and the edit count the page was opened at."""


# ----------------------------------------------------------------------------- the filter


@dataclass(frozen=True)
class BudgetFilter:
    """Which lines the table shows: one financial year (its start year) and/or one budget type."""

    year: int | None = None
    budget_type: str = ""
    error: str = ""  # a year in the address that cannot be read

    @classmethod
    def from_params(cls, params: QueryDict) -> BudgetFilter:
        """?year=2019/20&type=pooled; a blank value means every year or type. An unknown type is
        ignored (the select offers only the real ones); an unreadable year is said and ignored."""
        budget_type = params.get("type", "")
        if budget_type not in BudgetType.values:
            budget_type = ""
        raw_year = params.get("year", "").strip()
        if not raw_year:
            return cls(None, budget_type)
        try:
            return cls(parse_financial_year(raw_year), budget_type)
        except CellError as error:
            return cls(None, budget_type, f"Financial year: {error} All years are shown.")

    @property
    def active(self) -> bool:
        return self.year is not None or bool(self.budget_type)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year) if self.year is not None else ""

    def matches(self, line: dict[str, Any]) -> bool:
        """Whether a snapshot line (its year a start year, its type a code) is in the table."""
        return (self.year is None or int(line["financial_year"]) == self.year) and (
            not self.budget_type or line["budget_type"] == self.budget_type
        )

    def query(self) -> str:
        """The filter as a query string for links back to it ("" when it shows everything)."""
        params = QueryDict(mutable=True)
        if self.year is not None:
            params["year"] = self.year_label
        if self.budget_type:
            params["type"] = self.budget_type
        return f"?{params.urlencode(safe='/')}" if params else ""

    def describe(self) -> str:
        """"2018/19, aligned budgets", "2018/19" or "all years and budget types"."""
        parts = []
        if self.year is not None:
            parts.append(self.year_label)
        if self.budget_type:
            parts.append(BUDGET_TYPE_LABELS[self.budget_type].lower())
        return ", ".join(parts) or "all years and budget types"


def year_choices(lines: list[dict[str, Any]], budget_filter: BudgetFilter) -> list[tuple[str, str]]:
    """The years the filter offers: every year with lines, the year after the latest (to start
    its budget) and the year asked for; newest first."""
    years = {int(line["financial_year"]) for line in lines}
    if years:
        years.add(max(years) + 1)
    if budget_filter.year is not None:
        years.add(budget_filter.year)
    return [("", "All years")] + [(financial_year_label(y), financial_year_label(y)) for y in sorted(years, reverse=True)]


def type_choices() -> list[tuple[str, str]]:
    return [("", "All budget types")] + [(value, BUDGET_TYPE_LABELS[value]) for value in BudgetType.values]


# ----------------------------------------------------------------------------- the rows


def table_spec(agreement: Agreement, budget_filter: BudgetFilter, snapshot: dict[str, Any]) -> ItemList:
    """The schedule editor's budget-line list in the table's column order, a new row starting in
    the filter's year and type. A line's partner that is no longer a party stays a choice, so a
    save never moves the line to another partner unseen."""
    spec = schedule_item_lists(agreement)[LIST]
    by_name = {f.name: f for f in spec.fields}
    offered = {value for value, _label in by_name["partner_id"].choices}
    others = sorted({str(line["partner_id"]) for line in snapshot["budget_lines"]} - offered)
    by_name["partner_id"] = replace(by_name["partner_id"], choices=by_name["partner_id"].choices + tuple(
        (pid, snapshot["partners"].get(pid, {}).get("name", f"Partner {pid}")) for pid in others))
    defaults = {"financial_year": budget_filter.year_label or None, "budget_type": budget_filter.budget_type or None}
    fields = tuple(
        replace(by_name[name], label=ROW_LABELS.get(name, by_name[name].label), default=defaults.get(name))
        for name in COLUMNS
    )
    return replace(spec, singular="Row", fields=fields)


def rows_from_snapshot(lines: list[dict[str, Any]], budget_filter: BudgetFilter) -> list[dict[str, Any]]:
    """The filtered lines as the table's inputs show them: "2018/19", "£4,388,588"."""
    return [
        {**line, "partner_id": str(line["partner_id"]), "financial_year": financial_year_label(int(line["financial_year"])),
         "amount": money(line["amount"])}
        for line in lines if budget_filter.matches(line)
    ]


def new_row(spec: ItemList) -> dict[str, Any]:
    """A blank row for static/js/budget-table.js to copy: inputs named ``budget_lines-__index__-<field>``."""
    blank = {f.name: f.default if f.default is not None else (False if f.kind == "checkbox" else "") for f in spec.fields}
    row = bound_rows([{**blank, "id": None}], spec, LIST, {})[0]
    row.update(base=f"{LIST}-__index__", number="__number__", index="__index__")
    for cell in row["inputs"]:
        cell["html_id"] = f"{LIST}-__index__-{cell['field'].name}"
    return row


def _sentence(text: str) -> str:
    """A message as it reads after "Row 3: ": "Enter the…" -> "enter the…", the full stop dropped."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def check_rows(rows: list[dict[str, Any]], spec: ItemList) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The rows with their values read (a copy), and an error per cell that cannot be used:
    "Row 3: enter the financial year, such as 2018/19", linking to that cell's input."""
    parsed: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for index, row in enumerate(rows):
        number, values = index + 1, dict(row)
        for item_field in spec.fields:
            anchor, value = f"{LIST}-{index}-{item_field.name}", row.get(item_field.name, "")
            label = item_field.label.lower()
            if item_field.kind == "select" and str(value) not in {choice for choice, _label in item_field.choices}:
                errors.append({"anchor": anchor, "message": f"Row {number}: choose the {label}"})
            elif item_field.parse is not None:
                try:
                    values[item_field.name] = item_field.parse(value)
                except (ValueError, ValidationError) as error:
                    reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                    prefix = f"Row {number}" if label in reason.lower() else f"Row {number}, {label}"
                    errors.append({"anchor": anchor, "message": f"{prefix}: {_sentence(reason)}"})
            elif item_field.required and item_field.kind != "checkbox" and not value:
                errors.append({"anchor": anchor, "message": f"Row {number}: enter the {label}"})
        parsed.append(values)
    return parsed, errors


# ----------------------------------------------------------------------------- the merge


@dataclass
class Merge:
    """The schedule's whole list of budget lines after this save, and what the table changed."""

    lines: list[dict[str, Any]]
    rows_at: dict[int, int] = field(default_factory=dict)  # position in `lines` (from 1) -> table row (from 1)
    added: int = 0
    changed: int = 0
    removed: int = 0

    def summary(self) -> str:
        parts = [f"{count} {verb}" for count, verb in ((self.added, "added"), (self.changed, "changed"),
                                                       (self.removed, "removed")) if count]
        return ", ".join(parts)


def _stored(line: dict[str, Any]) -> dict[str, Any]:
    return {"id": line["id"], **{name: line[name] for name in BUDGET_LINE_FIELDS}}


def _same(line: dict[str, Any], row: dict[str, Any]) -> bool:
    return all(str(line[name] if line[name] is not None else "") == str(row[name] if row[name] is not None else "")
               for name in BUDGET_LINE_FIELDS)


def merge_rows(lines: list[dict[str, Any]], budget_filter: BudgetFilter, rows: list[dict[str, Any]]) -> Merge:
    """Every line of the schedule, in the snapshot's order (by year, type, then position): those
    outside the filter as stored, each filtered line replaced by its posted row (or dropped when the
    row was removed); new rows come last, so no line before them moves. The service numbers the
    positions by this order, as the schedule editor does: lines whose stored positions already follow
    it (any list saved by an editor) keep them; pages sort by year, type and position, so a new row
    shows at the end of its year's table."""
    shown = {line["id"] for line in lines if budget_filter.matches(line)}
    posted: dict[int, tuple[int, dict[str, Any]]] = {}
    new: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=1):
        if row.get("id") in shown and row["id"] not in posted:
            posted[row["id"]] = (number, row)
        else:  # a row the page added, or an id that is not one of the table's lines (or is there twice)
            new.append((number, {**row, "id": None}))
    merge = Merge(lines=[])
    for line in lines:
        if line["id"] not in shown:
            merge.lines.append(_stored(line))
        elif line["id"] in posted:
            number, row = posted[line["id"]]
            merge.lines.append({"id": line["id"], **{name: row[name] for name in BUDGET_LINE_FIELDS}})
            merge.rows_at[len(merge.lines)] = number
            merge.changed += not _same(line, row)
        else:
            merge.removed += 1
    for number, row in new:
        merge.lines.append({"id": None, **{name: row[name] for name in BUDGET_LINE_FIELDS}})
        merge.rows_at[len(merge.lines)] = number
    merge.added = len(new)
    return merge


_SERVICE_ROW = re.compile(r"^Budget line (\d+): (.*)$", re.S)


def save_errors(error: ValidationError, merge: Merge, form) -> list[dict[str, str]]:
    """The service's refusal in the table's terms: "Budget line 14: …" (its place among all the
    schedule's lines) becomes "Row 3: …", linking to that row."""
    found = []
    items = error.error_dict.items() if hasattr(error, "error_dict") else [("", error.error_list)]
    for name, errors in items:
        for item in errors:
            for message in item.messages:
                anchor = form[name].auto_id if name in form.fields else ""
                match = _SERVICE_ROW.match(message)
                if match and int(match.group(1)) in merge.rows_at:
                    row = merge.rows_at[int(match.group(1))]
                    anchor, message = f"{LIST}-{row - 1}-{COLUMNS[0]}", f"Row {row}: {_sentence(match.group(2))}"
                elif match:  # a line outside the table: say which
                    line = merge.lines[int(match.group(1)) - 1]
                    message = (f"A line outside this table ({financial_year_label(int(line['financial_year']))}, "
                               f"{line['service']}): {match.group(2)}")
                found.append({"anchor": anchor, "message": message})
    return found
