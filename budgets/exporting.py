"""Export budget lines as .xlsx or .csv in the budget-lines layout (the layout import reads).

A schedule's export has the layout's columns; the agreement-wide export puts a "Schedule" column
(the schedule's number) first, so each line says which schedule it belongs to, and the
agreement-level import reads it back by that header. A schedule's import refuses the rows of other schedules.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is escaped
with a leading apostrophe; the importer removes it again, so export then import changes nothing.
"""

from __future__ import annotations

from agreements.budget_values import FORMULA_PREFIXES
from agreements.models import BudgetLine
from budgets.spreadsheets import Sheet, export_sheet, sheet

HEADERS = ["Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status",
           "Ring-fenced public health", "Notes"]
SCHEDULE_HEADER = "Schedule"  # the agreement-level import reads this header: keep the two the same


def escape_formula(value: str) -> str:
    """'=SUM(A1)' → "'=SUM(A1)": shown as text, never run."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def budget_lines_sheet(lines, *, with_schedule: bool = False) -> Sheet:
    """The lines in the budget-lines layout; with `with_schedule`, each row starts with its schedule's number."""
    headers = [SCHEDULE_HEADER, *HEADERS] if with_schedule else HEADERS
    return sheet("Budget lines", headers, (
        [
            *([line.schedule.number] if with_schedule else []),
            line.financial_year_label,
            escape_formula(line.service),
            escape_formula(line.partner.name),
            line.get_budget_type_display(),
            line.amount,  # a Decimal: a number in the spreadsheet, exact in the CSV
            line.get_status_display(),
            "Yes" if line.ring_fenced_public_health else "No",
            escape_formula(line.notes),
        ]
        for line in lines
    ), money=["Amount (£)"])


def export_budget_lines(lines, file_format: str, *, with_schedule: bool = False) -> bytes:
    """The lines as the bytes of an .xlsx or a UTF-8 (with BOM, for Excel) .csv file."""
    return export_sheet(budget_lines_sheet(lines, with_schedule=with_schedule), file_format)


def schedule_lines(schedule):
    return BudgetLine.objects.filter(schedule=schedule).select_related("partner").order_by(
        "financial_year", "budget_type", "position", "id"
    )


def agreement_lines(agreement):
    return BudgetLine.objects.filter(schedule__agreement=agreement).select_related("partner", "schedule").order_by(
        "schedule__number", "financial_year", "budget_type", "position", "id"
    )

