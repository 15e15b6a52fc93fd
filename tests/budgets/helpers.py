"""Small helpers for budget tests: files built in the test, counts of what was written."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from openpyxl import Workbook

from agreements.models import BudgetLine
from budgets.models import BudgetImport
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


def xlsx_with_cells(rows: list[list], cells: dict[str, str]) -> bytes:
    """An xlsx of `rows` with some cells' XML written as given, as other programs write them.

    `cells` maps a coordinate ("B2") to the <c> element's attributes and content, without the r
    attribute: {"B2": 't="str"><f>IF(1,"","")</f><v></v>'}. Each coordinate must hold a value in `rows`.
    """
    content = xlsx_bytes(rows)
    source = zipfile.ZipFile(io.BytesIO(content))
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    for coordinate, xml in cells.items():
        sheet, count = re.subn(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)', f'<c r="{coordinate}" {xml}</c>', sheet)
        assert count == 1, f"{coordinate} is not in the sheet"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            archive.writestr(info.filename, data)
    return buffer.getvalue()


class _TableText(HTMLParser):
    """The text of each body row's cells of the table with data-testid=`testid`."""

    def __init__(self, testid: str):
        super().__init__(convert_charrefs=True)
        self.testid, self.depth, self.rows, self.cell = testid, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("data-testid") == self.testid:
            self.depth = 1
        elif self.depth and tag == "tbody":
            self.depth = 2
        elif self.depth == 2 and tag == "tr":
            self.rows.append([])
        elif self.depth == 2 and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth == 2 and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.depth and tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, testid: str) -> list[list[str]]:
    """[[cell text, ...], ...] for the body rows of the page's table with data-testid=`testid`."""
    parser = _TableText(testid)
    parser.feed(html)
    return parser.rows
