"""Reading files by their content: what is a CSV, and formula cells that were never calculated."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from budgets.importing import xlsx_cells
from budgets.importing.reading import FileRefused, csv_delimiter, read_sheet
from budgets.importing.xlsx_cells import UnsavedFormula
from tests.budgets.helpers import HEADER, csv_bytes, xlsx_bytes, xlsx_with_cells

PROSE = """# Budget spreadsheets

Real-shaped files that finance staff bring. Tests of the budget import should use them as they
are (read them from the shared folder, relative to the project root; skip with a clear reason).

| file | layout | what is in it |
| --- | --- | --- |
| haringey.xlsx | schedule table | amounts written as text with £ and commas, "Not applicable", notes |
"""


@pytest.mark.parametrize("content, delimiter", [
    (HEADER + "\n2018/19,Health visiting,LBH,Pooled,100,,No,\n", ","),
    ("Service;LBH;NHS Haringey CCG\nHealth visiting;4388588,00;Not applicable\n", ";"),
    ("Service\tLBH\tCCG\nHealth visiting\t£4,388,588\tNot applicable\n", "\t"),
    ("Schedule 6 aligned budgets\nService,LBH\nHealth visiting,£5\n", ","),  # a title above the headings
    ("Name,Address,Postcode\nA,B,C\nD,E,F\n", ","),  # a table, if not a budget one
])
def test_delimited_text_is_a_csv(content, delimiter):
    assert csv_delimiter(content) == delimiter


@pytest.mark.parametrize("content", [
    PROSE,
    "Budgets for 2018/19\n\nThe council pays £4,388,588 for health visiting, and the CCG nothing.\nThanks\n",
    "Hello, world\nThis line, unlike the first, has two commas\nand this none\n",
])
def test_prose_and_markdown_are_not(content):
    assert csv_delimiter(content) is None


@pytest.mark.parametrize("filename", ["README.md", "budgets.csv", "budgets.xlsx", "budgets"])
def test_a_text_file_is_refused_as_not_a_spreadsheet_whatever_its_name(filename):
    with pytest.raises(FileRefused) as refused:
        read_sheet(filename, PROSE.encode())
    assert str(refused.value).startswith(f"{filename} is not a spreadsheet: upload an xlsx or csv file.")


def test_a_csv_is_read_as_one_whatever_its_name():
    sheet = read_sheet("budgets.xlsx", csv_bytes("2018/19,Health visiting,LBH,Pooled,100,,No,"))
    assert sheet.kind == "csv" and len(sheet.rows) == 2


def test_a_zip_without_a_workbook_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(FileRefused, match=r"^report\.docx is not a spreadsheet: upload an xlsx or csv file\."):
        read_sheet("report.docx", buffer.getvalue())


def _formula_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Service", "Amount"])
    sheet.append(['=HYPERLINK("http://example.invalid","Health visiting")', "=1+1"])  # openpyxl saves no value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_formula_with_no_saved_value_is_read_as_one(xlsx_path):
    rows = read_sheet("f.xlsx", _formula_workbook()).rows
    assert rows[1] == (2, (UnsavedFormula('=HYPERLINK("http://example.invalid","Health visiting")'),
                           UnsavedFormula("=1+1")))


def test_a_formula_with_a_saved_value_is_read_as_its_value(xlsx_path):
    content = xlsx_with_cells([["Service", "Amount", "Notes"], ["Health visiting", 0, "x"]], {
        "B2": "><f>SUM(1,2)</f><v>3</v>",
        "C2": 't="str"><f>IF(1,"","")</f><v></v>',  # calculated, to an empty text
    })
    assert read_sheet("f.xlsx", content).rows[1] == (2, ("Health visiting", 3, None))


def test_shared_formulas_with_no_saved_value_are_read_as_each_cells_formula(xlsx_path):
    content = xlsx_with_cells([["Service", "Amount"], ["a", 1], ["b", 2]], {
        "B2": '><f t="shared" ref="B2:B3" si="0">LEN(A2)</f>',
        "B3": '><f t="shared" si="0"/>',
    })
    rows = read_sheet("f.xlsx", content).rows
    assert [values[1] for _number, values in rows[1:]] == [UnsavedFormula("=LEN(A2)"), UnsavedFormula("=LEN(A3)")]


def test_the_fast_and_openpyxl_paths_agree(monkeypatch):
    def unknown_openpyxl():
        raise ImportError("an openpyxl whose parser the fast path does not know")

    content = xlsx_bytes([["Service", "Amount"], ["Health visiting", "=A2"], ["School nursing", 12]])
    fast = read_sheet("f.xlsx", content).rows
    monkeypatch.setattr(xlsx_cells, "fast_cell_parser", unknown_openpyxl)
    assert read_sheet("f.xlsx", content).rows == fast
    assert fast[1][1][1] == UnsavedFormula("=A2")
