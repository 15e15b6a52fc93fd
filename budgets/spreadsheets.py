"""The one spreadsheet writer: every .xlsx and .csv the service hands out is made here.

Budget-line exports and the budget reports both write through `export_sheet` and
`export_workbook`, so every file reads the same way in Excel: the header row bold, frozen and
filterable, columns sized to their contents, amounts as numbers (exact decimals) shown with
thousands separators and pence, and CSV as UTF-8 with a byte-order mark (so Excel reads "£"),
lines ending CRLF as Excel writes them. The .xlsx is written by openpyxl (what
django-import-export's own XLSX format uses underneath, through tablib, which cannot set a
number format or a filter); the .csv by the standard library's csv module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MONEY_FORMAT = "#,##0.00"  # 4,388,588.00
MAX_COLUMN_WIDTH = 60
MAX_SHEET_TITLE = 31  # Excel's limit
MAX_CHOICE_ROW = 10_001  # drop-downs reach as far down as the largest import a template is for


@dataclass
class Sheet:
    """One sheet: its name, its header row, its rows, and which columns (by header) hold money."""

    title: str
    headers: Sequence[str]
    rows: list[list[Any]] = field(default_factory=list)
    money: frozenset[str] = frozenset()
    # Columns (by header) whose cells offer a drop-down of these values in Excel (xlsx only); others may be typed.
    choices: dict[str, list[str]] = field(default_factory=dict)


def sheet(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, money: Iterable[str] = (),
          choices: dict[str, list[str]] | None = None) -> Sheet:
    money = frozenset(money)
    unknown = (money | set(choices or {})) - set(headers)
    if unknown:
        raise ValueError(f"Money or choice columns not among the headers: {sorted(unknown)}")
    return Sheet(title[:MAX_SHEET_TITLE], list(headers), [list(row) for row in rows], money, dict(choices or {}))


def _drop_down(values: list[str]):
    """Excel's in-cell list of `values`, or None when they cannot be written as one (a comma or quote in a
    value, or more than Excel's 255 characters): the column is then typed, as any other."""
    from openpyxl.worksheet.datavalidation import DataValidation

    listed = ",".join(values)
    if not values or len(listed) > 255 or any("," in value or '"' in value for value in values):
        return None
    return DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=False)


def export_sheet(one: Sheet, file_format: str) -> bytes:
    """One sheet as the bytes of an .xlsx, or of a UTF-8 (with BOM, for Excel) .csv file."""
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(one.headers)
        writer.writerows(["" if value is None else value for value in row] for row in one.rows)
        return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
    if file_format == "xlsx":
        return export_workbook([one])
    raise ValueError(f"Unknown spreadsheet format {file_format!r}: {', '.join(FORMATS)}")


def export_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets as one .xlsx workbook, in the order given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for one in sheets:
        ws = book.create_sheet(one.title)
        ws.append(list(one.headers))
        for cell in ws[1]:
            cell.font = bold
        money_columns = [index for index, header in enumerate(one.headers, start=1) if header in one.money]
        for row in one.rows:
            ws.append(row)
        for index in money_columns:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, Decimal | int | float):
                    cell.number_format = MONEY_FORMAT
        for index, header in enumerate(one.headers, start=1):
            longest = max([len(str(header))] + [len(_shown(row[index - 1])) for row in one.rows if len(row) >= index])
            ws.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_COLUMN_WIDTH)
        for index, header in enumerate(one.headers, start=1):
            drop_down = _drop_down(one.choices.get(header, []))
            if drop_down is not None:
                ws.add_data_validation(drop_down)
                drop_down.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{MAX_CHOICE_ROW}")
        ws.freeze_panes = "A2"  # the header row stays in view
        ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shown(value: Any) -> str:
    """Roughly what Excel shows, to size a column: money with its separators."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)
