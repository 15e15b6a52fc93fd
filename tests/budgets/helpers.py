"""Small helpers for budget tests: files built in the test, counts of what was written."""

from __future__ import annotations

import io

from openpyxl import Workbook

from budgets.models import BudgetImport, BudgetLine
from documents.models import Revision

HEADER = "Financial year,Service,Partner,Budget type,Amount (£),Status,Ring-fenced public health,Notes"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def written() -> tuple[int, int, int, int]:
    """(budget lines, their historical rows, revisions, import records): all must stay put on a refusal."""
    return (BudgetLine.objects.count(), BudgetLine.history.count(), Revision.objects.count(),
            BudgetImport.objects.count())
