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
    assert written() == counts
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


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("amount, status", [("To be agreed", "Confirmed"), ("N/A", "Within block contract"),
                                            ("£840,000 to be agreed after the review", "Confirmed")])
def test_a_status_word_in_amount_that_contradicts_the_status_column(schedule, kind, amount, status):
    row = ["2018/19", "Health visiting", "LBH", "Pooled", amount, status, "No", ""]
    content = (xlsx_bytes([HEADER.split(","), row]) if kind == "xlsx"
               else csv_bytes(",".join(f'"{value}"' for value in row)))
    counts = written()
    with pytest.raises(ImportRefused) as refused:
        budget_lines_import(schedule=schedule, filename=f"budget.{kind}", content=content)
    (error,) = refused.value.errors
    assert (error.row, error.column, error.value) == (2, "Status", status)
    assert str(error) == (f"Row 2, column “Status”: The Amount (£) column says “{amount}” but the Status column says "
                          f"“{status}”: make them agree, or leave the Status blank.")
    assert written() == counts


def test_a_note_in_amount_and_a_different_one_in_notes(schedule):
    message = refuse(schedule, csv_bytes('2018/19,Health visiting,LBH,Pooled,"£840,000 to be agreed after the review"'
                                         ',,No,Specialist therapies'))
    assert ("Row 2, column “Notes”: The Amount (£) column has a note of its own, “to be agreed after the review”, "
            "as well as this one") in message


def test_words_in_amount_that_are_no_status(schedule):
    message = refuse(schedule, csv_bytes("2018/19,Health visiting,LBH,Pooled,ask Bob,,No,"))
    assert ("Row 2, column “Amount (£)”: “ask Bob” is not an amount in pounds or a status: write a number such as "
            "4388588 or £4,388,588, or To be agreed, Not applicable or Within block contract.") in message


HYPERLINK = '=HYPERLINK("http://example.invalid","Health visiting")'


def test_a_formula_with_no_saved_value_is_named_not_read_as_blank(schedule, xlsx_path):
    content = xlsx_bytes([HEADER.split(","), ["2018/19", HYPERLINK, "LBH", "Pooled", 100]])
    message = refuse(schedule, content, filename="budget.xlsx")
    assert ("Row 2, column “Service”: the cell holds a formula (=HYPERLINK(…)) with no saved value; type the text "
            "instead.") in message
    assert "Enter the service" not in message


@pytest.mark.parametrize("index, formula", [(0, "=TEXT(2018,\"0\")&\"/19\""), (1, HYPERLINK), (2, "=B1"),
                                            (3, "=\"Pooled\""), (4, "=SUM(1,2)*1000000"), (5, "=F1"), (6, "=G1"),
                                            (7, "=CONCATENATE(\"a\",\"b\")")])
def test_a_formula_with_no_saved_value_in_any_column_of_budget_lines(schedule, xlsx_path, index, formula):
    row: list = ["2018/19", "Health visiting", "LBH", "Pooled", 100, "Confirmed", "No", "Note"]
    row[index] = formula
    with pytest.raises(ImportRefused) as refused:
        budget_lines_import(schedule=schedule, filename="budget.xlsx", content=xlsx_bytes([HEADER.split(","), row]))
    (error,) = refused.value.errors
    shown = formula if len(formula) <= 30 else "=HYPERLINK(…)"
    assert (error.row, error.column, error.value) == (2, HEADER.split(",")[index], formula)
    assert error.message == f"the cell holds a formula ({shown}) with no saved value; type the text instead."


def test_a_formula_with_no_saved_value_in_a_schedule_table(schedule, xlsx_path):
    content = xlsx_bytes([["Service", "LBH", "NHS Haringey CCG"], [HYPERLINK, "£5", "=B2*2"],
                          ["School nursing", "=B2", "Not applicable"]])
    counts = written()
    with pytest.raises(ImportRefused) as refused:
        budget_lines_import(schedule=schedule, filename="table.xlsx", content=content, financial_year=2018,
                            budget_type="aligned")
    assert [str(error) for error in refused.value.errors] == [
        "Row 2, column “Service”: the cell holds a formula (=HYPERLINK(…)) with no saved value; type the text instead.",
        "Row 2, column “NHS Haringey CCG”: the cell holds a formula (=B2*2) with no saved value; type the text "
        "instead.",
        "Row 3, column “LBH”: the cell holds a formula (=B2) with no saved value; type the text instead.",
    ]
    assert written() == counts


def test_a_formula_with_no_saved_value_in_the_headings(schedule, xlsx_path):
    content = xlsx_bytes([["Service", '=IF(TRUE,"LBH","CCG")'], ["Health visiting", "£5"]])
    message = refuse(schedule, content, filename="table.xlsx", financial_year=2018, budget_type="aligned")
    assert "Row 1, column “B”: the cell holds a formula (=IF(TRUE,\"LBH\",\"CCG\")) with no saved value" in message


@pytest.mark.parametrize("filename", ["README.md", "budgets.csv", "budgets.xlsx"])
def test_a_readme_is_not_a_spreadsheet_whatever_its_name(schedule, shared_budgets, filename):
    content = (shared_budgets / "README.md").read_bytes()
    message = refuse(schedule, content, filename=filename, financial_year=2018, budget_type="aligned")
    assert f"File: {filename} is not a spreadsheet: upload an xlsx or csv file." in message


def test_a_table_without_the_headings_of_either_layout(schedule):
    message = refuse(schedule, b"Name,Address,Postcode\nA,B,C\n", filename="people.csv", financial_year=2018,
                     budget_type="aligned")
    assert "Row 1: These are not the headings of a budget file" in message
    assert "not a partner we know" not in message
