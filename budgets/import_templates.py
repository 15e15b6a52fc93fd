"""Blank spreadsheets to fill in and import: one per import layout, made for the agreement they are for.

Each template is the layout's heading row and no lines. No example line: a line left in a
template the person filled in would be imported as a real budget line of a legal agreement (a
made-up service or amount, in the schedule's history for good). Instead the xlsx has a second
sheet, "How to fill in", saying for each column whether it is needed and what to write, with
this agreement's own partners and schedules; the import reads only the first sheet. The xlsx
heading row is bold, frozen and filterable (`budgets.spreadsheets`), and the columns with a fixed
set of answers offer them as a drop-down. The CSV is the heading row alone.

Layouts: "budget-lines" and "schedule-table" for one schedule's import, and the agreement-wide
layout (budget lines after a "Schedule" column) for the agreement's import.
"""

from __future__ import annotations

from agreements.models import Agreement, BudgetStatus, BudgetType, Party, Schedule
from budgets.importing.agreement import SCHEDULE_HEADING
from budgets.importing.preview import ROW_HEADINGS
from budgets.spreadsheets import FORMATS, Sheet, export_sheet, export_workbook, sheet

BUDGET_LINES = "budget-lines"
SCHEDULE_TABLE = "schedule-table"
SCHEDULE_LAYOUTS = (BUDGET_LINES, SCHEDULE_TABLE)
GUIDANCE_HEADERS = ["Column", "Needed", "What to write"]
YES_NO = ["Yes", "No"]


class UnknownTemplate(ValueError):
    """No template of that layout or format."""


def _partners(agreement: Agreement) -> list[tuple[str, str]]:
    """(name, short name) of each party, in the agreement's order."""
    return [(party.partner.name, party.partner.short_name)
            for party in Party.objects.filter(agreement=agreement).select_related("partner")]


def _partner_list(agreement: Agreement) -> str:
    return "; ".join(f"{name} ({short})" if short and short != name else name for name, short in _partners(agreement))


def _budget_line_guidance(agreement: Agreement) -> list[list[str]]:
    statuses = ", ".join(label for _value, label in BudgetStatus.choices)
    return [
        ["Financial year", "Yes", "The financial year, April to March, written 2018/19 (2018-19 and 2018/2019 are "
                                  "read too)."],
        ["Service", "Yes", "The service's name as the schedule gives it. One line per service, partner, financial "
                           "year and budget type."],
        ["Partner", "Yes", f"One of the agreement's parties, by name, short name or code: {_partner_list(agreement)}."],
        ["Budget type", "Yes", " or ".join(label for _value, label in BudgetType.choices) + "."],
        ["Amount (£)", "No", "The amount in pounds, such as 4388588 or £4,388,588.50. Leave it blank when there is "
                             "no figure, and say why in Status."],
        ["Status", "No", f"{statuses}. Confirmed when left blank and there is an amount."],
        ["Ring-fenced public health", "No", "Yes or No; No when left blank."],
        ["Notes", "No", "Any text."],
    ]


def _choices(agreement: Agreement) -> dict[str, list[str]]:
    return {
        "Partner": [name for name, _short in _partners(agreement)],
        "Budget type": [label for _value, label in BudgetType.choices],
        "Status": [label for _value, label in BudgetStatus.choices],
        "Ring-fenced public health": YES_NO,
    }


def _budget_lines_sheets(agreement: Agreement) -> tuple[Sheet, list[list[str]]]:
    return sheet("Budget lines", ROW_HEADINGS, [], choices=_choices(agreement)), _budget_line_guidance(agreement)


def _schedule_table_sheets(agreement: Agreement) -> tuple[Sheet, list[list[str]]]:
    partners = [name for name, _short in _partners(agreement)]
    guidance = [["Service", "Yes", "The service's name as the schedule gives it, one row per service."]]
    guidance += [[name, "No", "This partner's budget for the service: an amount (£4,388,588), Not applicable, a note "
                              "saying the amount is to be agreed or within a block contract, or an amount then a note "
                              "(£840,000 to be agreed after the review). Leave it blank for no line."]
                 for name in partners]
    guidance += [["(on the upload page)", "Yes", "The financial year and the budget type (Pooled or Aligned) the "
                                                 "whole table is for."]]
    return sheet("Schedule table", ["Service", *partners], []), guidance


def _agreement_sheets(agreement: Agreement) -> tuple[Sheet, list[list[str]]]:
    schedules = "; ".join(f"{number} ({title})" for number, title in
                          Schedule.objects.filter(agreement=agreement).order_by("number").values_list("number", "title"))
    guidance = [[SCHEDULE_HEADING, "Yes", f"The number of the schedule the line is for: {schedules}."],
                *_budget_line_guidance(agreement)]
    return sheet("Budget lines", [SCHEDULE_HEADING, *ROW_HEADINGS], [], choices=_choices(agreement)), guidance


def _file(lines: Sheet, guidance: list[list[str]], file_format: str) -> bytes:
    if file_format not in FORMATS:
        raise UnknownTemplate(f"Templates can be downloaded as {' or '.join(f'.{f}' for f in FORMATS)}.")
    if file_format == "csv":
        return export_sheet(lines, "csv")
    return export_workbook([lines, sheet("How to fill in", GUIDANCE_HEADERS, guidance)])


def schedule_import_template(*, agreement: Agreement, layout: str, file_format: str) -> bytes:
    """A blank file of a one-schedule import layout ("budget-lines" or "schedule-table")."""
    if layout == BUDGET_LINES:
        return _file(*_budget_lines_sheets(agreement), file_format)
    if layout == SCHEDULE_TABLE:
        return _file(*_schedule_table_sheets(agreement), file_format)
    raise UnknownTemplate(f"There is no template called {layout}: choose {BUDGET_LINES} or {SCHEDULE_TABLE}.")


def agreement_import_template(*, agreement: Agreement, file_format: str) -> bytes:
    """A blank agreement-wide budget file: “Schedule”, then the budget-lines columns."""
    return _file(*_agreement_sheets(agreement), file_format)
