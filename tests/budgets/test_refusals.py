"""Each refusal: a message naming the row (where there is one) and nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest

from budgets.importing import ImportRefused, budget_lines_import
from budgets.importing.reading import MAX_FILE_BYTES
from tests.budgets.helpers import HEADER, csv_bytes, written, xlsx_bytes


def refuse(schedule, content: bytes, filename: str = "budget.csv", **kwargs) -> str:
    counts = written()
    with pytest.raises(ImportRefused) as refused:
        budget_lines_import(schedule=schedule, filename=filename, content=content, **kwargs)
    assert written() == counts
    assert schedule.budget_lines.count() == 0
    return str(refused.value)


GOOD = "2018/19,Health visiting,LBH,Pooled,100,,No,"


def test_missing_required_columns_are_named(schedule):
    message = refuse(schedule, csv_bytes("Health visiting,100", header="Service,Amount (£)"))
    assert "Row 1" in message
    assert "“Financial year”" in message and "“Partner”" in message and "“Budget type”" in message


def test_unknown_partner_with_the_closest_names(schedule):
    message = refuse(schedule, csv_bytes(GOOD, "2018/19,School nursing,Haringey Councl,Pooled,5,,No,"))
    assert "Row 3" in message and "“Haringey Councl” is not a partner we know" in message
    assert "Did you mean “Haringey Council”" in message


def test_partner_not_a_party(schedule):
    message = refuse(schedule, csv_bytes(GOOD, "2018/19,School nursing,Cambridgeshire County Council,Pooled,5,,No,"))
    assert "Row 3" in message and "Cambridgeshire County Council is not a party to agreement HAR-S75-2017" in message


def test_bad_financial_year(schedule):
    message = refuse(schedule, csv_bytes(GOOD, "2018/20,School nursing,LBH,Pooled,5,,No,"))
    assert "Row 3" in message and "“2018/20” is not a financial year" in message


def test_negative_amount(schedule):
    message = refuse(schedule, csv_bytes(GOOD, GOOD.replace("Health visiting", "School nursing").replace("100", "-5")))
    assert "Row 3" in message and "negative" in message


def test_negative_amount_in_xlsx(schedule):
    content = xlsx_bytes([HEADER.split(","), ["2018/19", "Health visiting", "LBH", "Pooled", -12.5]])
    message = refuse(schedule, content, filename="budget.xlsx")
    assert "Row 2" in message and "negative" in message


def test_non_numeric_amount(schedule):
    message = refuse(schedule, csv_bytes(GOOD, "2018/19,School nursing,LBH,Pooled,about a million,,No,"))
    assert "Row 3" in message and "“about a million” is not an amount" in message


def test_more_than_two_decimal_places(schedule):
    content = xlsx_bytes([HEADER.split(","), ["2018/19", "Health visiting", "LBH", "Pooled", 10.125]])
    message = refuse(schedule, content, filename="budget.xlsx")
    assert "Row 2" in message and "more than 2 decimal places" in message


def test_same_line_twice(schedule):
    message = refuse(schedule, csv_bytes(GOOD, "2018/19,School nursing,LBH,Pooled,5,,No,",
                                         "2018-19,health  visiting,Haringey Council,pooled,7,,No,"))
    assert "Row 4" in message and "same line as row 2" in message


def test_empty_file(schedule):
    message = refuse(schedule, b"")
    assert "empty" in message and "row 1" in message


def test_headings_but_no_lines(schedule):
    message = refuse(schedule, csv_bytes())
    assert "Row 2" in message and "no lines" in message


def test_not_a_spreadsheet(schedule):
    message = refuse(schedule, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", filename="budget.pdf")
    assert "not a spreadsheet" in message


def test_a_zip_that_is_not_a_workbook(schedule):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    message = refuse(schedule, buffer.getvalue(), filename="budget.xlsx")
    assert "not a spreadsheet" in message


def test_over_10_mb(schedule):
    message = refuse(schedule, csv_bytes(GOOD) + b" " * MAX_FILE_BYTES)
    assert "10 MB" in message


def test_spreadsheet_that_would_expand_beyond_a_sane_size(schedule):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<c>" + " " * (300 * 1024 * 1024) + "</c>")
    content = buffer.getvalue()
    assert len(content) < MAX_FILE_BYTES
    message = refuse(schedule, content, filename="bomb.xlsx")
    assert "expand" in message


def test_confirmed_without_amount_and_not_applicable_with_amount(schedule):
    message = refuse(schedule, csv_bytes("2018/19,Health visiting,LBH,Pooled,,Confirmed,No,",
                                         "2018/19,School nursing,LBH,Pooled,5,Not applicable,No,"))
    assert "Row 2" in message and "needs an amount" in message
    assert "Row 3" in message and "not applicable cannot have an amount" in message


def test_schedule_table_needs_year_and_type(schedule):
    content = xlsx_bytes([["Service", "LBH"], ["Health visiting", "£5"]])
    message = refuse(schedule, content, filename="table.xlsx")
    assert "choose the financial year and the budget type" in message


def test_schedule_table_unknown_partner_column(schedule):
    content = xlsx_bytes([["Service", "LBH", "NHS Haringy CCG"], ["Health visiting", "£5", "£6"]])
    message = refuse(schedule, content, filename="table.xlsx", financial_year=2018, budget_type="aligned")
    assert "Row 1" in message and "Did you mean “NHS Haringey CCG”" in message


def test_every_error_is_reported_not_only_the_first(schedule):
    with pytest.raises(ImportRefused) as refused:
        budget_lines_import(schedule=schedule, filename="b.csv", content=csv_bytes(
            "2018/20,Health visiting,LBH,Pooled,1,,No,", "2018/19,School nursing,Nobody,Pooled,x,,No,"))
    errors = refused.value.errors
    assert [(e.row, e.column) for e in errors] == [(2, "Financial year"), (3, "Partner"), (3, "Amount (£)")]
    assert errors[2].value == "x"
