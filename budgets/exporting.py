"""Export budget lines as .xlsx or .csv in the budget-lines layout (the layout import reads).

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is escaped
with a leading apostrophe; the importer removes it again, so export then import changes nothing.
"""

from __future__ import annotations

from agreements.budget_values import FORMULA_PREFIXES
from agreements.models import BudgetLine
from budgets.spreadsheets import Sheet, export_sheet, sheet

HEADERS = ["Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status",
           "Ring-fenced public health", "Notes"]


def escape_formula(value: str) -> str:
    """'=SUM(A1)' → "'=SUM(A1)": shown as text, never run."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def budget_lines_sheet(lines) -> Sheet:
    return sheet("Budget lines", HEADERS, (
        [
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


def export_budget_lines(lines, file_format: str) -> bytes:
    """The lines as the bytes of an .xlsx or a UTF-8 (with BOM, for Excel) .csv file."""
    return export_sheet(budget_lines_sheet(lines), file_format)


def schedule_lines(schedule):
    return BudgetLine.objects.filter(schedule=schedule).select_related("partner").order_by(
        "financial_year", "budget_type", "position", "id"
    )


def agreement_lines(agreement):
    return BudgetLine.objects.filter(schedule__agreement=agreement).select_related("partner").order_by(
        "schedule__number", "financial_year", "budget_type", "position", "id"
    )

