"""The one spreadsheet writer: tablib datasets out as .xlsx or .csv, through django-import-export's formats.

Budget-line exports and the budget reports both write through here, so every file the service
hands out is made the same way: the header row bold and frozen, columns sized to their
contents, amounts as numbers (Decimal, exact), and CSV as UTF-8 with a byte-order mark so Excel
reads "£" correctly.
"""

from __future__ import annotations

import tablib
from import_export.formats.base_formats import CSV, XLSX

FORMATS = {"xlsx": XLSX, "csv": CSV}
CONTENT_TYPES = {"xlsx": XLSX.CONTENT_TYPE, "csv": "text/csv; charset=utf-8"}


def dataset(title: str, headers: list[str], rows) -> tablib.Dataset:
    """A sheet: its name (at most 31 characters, as Excel allows), its header row and its rows."""
    sheet = tablib.Dataset(headers=headers, title=title[:31])
    for row in rows:
        sheet.append(list(row))
    return sheet


def export_dataset(sheet: tablib.Dataset, file_format: str) -> bytes:
    """One sheet as the bytes of an .xlsx, or of a UTF-8 (with BOM, for Excel) .csv file."""
    data = FORMATS[file_format]().export_data(sheet)
    if isinstance(data, str):
        return "\ufeff".encode() + data.encode("utf-8")
    return data


def export_workbook(sheets: list[tablib.Dataset]) -> bytes:
    """Several sheets as one .xlsx workbook, in the order given."""
    return tablib.Databook(sheets).export("xlsx")
