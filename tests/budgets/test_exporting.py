from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from budgets.exporting import agreement_lines, export_budget_lines, schedule_lines
from budgets.importing import budget_lines_import, build_preview
from tests.budgets.helpers import csv_bytes


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(schedule, shared_budgets, file_format):
    budget_lines_import(schedule=schedule, filename="three.xlsx",
                        content=(shared_budgets / "budget-lines-three-years.xlsx").read_bytes())
    budget_lines_import(schedule=schedule, filename="table.xlsx",
                        content=(shared_budgets / "haringey-schedule-6-aligned-budgets.xlsx").read_bytes(),
                        financial_year=2020, budget_type="aligned")
    content = export_budget_lines(schedule_lines(schedule), file_format)
    preview = build_preview(schedule=schedule, filename=f"export.{file_format}", content=content)
    assert preview.ok, [str(e) for e in preview.errors]
    assert (len(preview.new), len(preview.changed)) == (0, 0)
    assert preview.unchanged_count == schedule.budget_lines.count() == 198
    assert len(list(agreement_lines(schedule.agreement))) == 198


def test_formula_looking_text_is_escaped(schedule):
    budget_lines_import(schedule=schedule, filename="f.csv", content=csv_bytes(
        '2018/19,=HYPERLINK("http://evil"),LBH,Pooled,1,,No,+1 call me',
        "2018/19,@SUM(A1),LBH,Pooled,2,,No,-minus",
    ))
    content = export_budget_lines(schedule_lines(schedule), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert {"'=HYPERLINK(\"http://evil\")", "'+1 call me", "'@SUM(A1)", "'-minus"} <= values

    rows = list(csv.reader(io.StringIO(export_budget_lines(schedule_lines(schedule), "csv").decode("utf-8-sig"))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # …and the import reads the escaped text back as it was.
    preview = build_preview(schedule=schedule, filename="again.csv",
                            content=export_budget_lines(schedule_lines(schedule), "csv"))
    assert (len(preview.new), len(preview.changed), preview.unchanged_count) == (0, 0, 2)


def test_the_xlsx_export_reads_as_a_finance_officer_expects(schedule):
    budget_lines_import(schedule=schedule, filename="two.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,4388588,,Yes,",
        "2018/19,School nursing,LBH,Aligned,,To be agreed,No,",
    ))
    sheet = openpyxl.load_workbook(io.BytesIO(export_budget_lines(schedule_lines(schedule), "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    amounts = {row[1]: row[4] for row in rows[1:]}
    assert rows[0][4] == "Amount (£)" and amounts == {"Health visiting": 4388588, "School nursing": None}
    pooled = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Health visiting")
    assert pooled[4].number_format == "#,##0.00"  # shown 4,388,588.00, stored as the number
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["B"].width >= len("Health visiting")


def _two_schedules(agreement, schedule):
    from agreements.services.schedules import schedule_create

    seven = schedule_create(agreement=agreement, document={"fields": {"number": 7, "title": "Public health", "service_name": "Public health",
                                                         "pooled_fund": True}},
                            reason="Set up for tests")
    budget_lines_import(schedule=schedule, filename="six.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Aligned,4388588,,No,",
        "2018/19,School nursing,Haringey CCG,Aligned,1234.5,,No,",
    ))
    budget_lines_import(schedule=seven, filename="seven.csv", content=csv_bytes(
        "2018/19,Sexual health,LBH,Pooled,,To be agreed,Yes,",
    ))
    return seven


def test_the_agreement_export_starts_with_the_schedule_column(agreement, schedule):
    _two_schedules(agreement, schedule)
    sheet = openpyxl.load_workbook(io.BytesIO(export_budget_lines(agreement_lines(agreement), "xlsx",
                                                                  with_schedule=True))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Schedule", "Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status",
                       "Ring-fenced public health", "Notes")
    assert [(row[0], row[2], row[5]) for row in rows[1:]] == [
        (6, "Health visiting", 4388588), (6, "School nursing", 1234.5), (7, "Sexual health", None)]
    assert sheet["A2"].data_type == "n"  # the schedule's number is a number, as the import reads it
    assert [sheet.cell(row=r, column=6).number_format for r in (2, 3)] == ["#,##0.00"] * 2
    assert all(cell.font.b for cell in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions == "A1:I4"

    rows = list(csv.reader(io.StringIO(export_budget_lines(agreement_lines(agreement), "csv",
                                                           with_schedule=True).decode("utf-8-sig"))))
    assert rows[0][0] == "Schedule" and [row[0] for row in rows[1:]] == ["6", "6", "7"]
    assert rows[2][5] == "1234.50"  # exact in the CSV


def test_a_schedule_export_has_no_schedule_column(schedule):
    budget_lines_import(schedule=schedule, filename="one.csv", content=csv_bytes("2018/19,Health visiting,LBH,Aligned,1,,No,"))
    sheet = openpyxl.load_workbook(io.BytesIO(export_budget_lines(schedule_lines(schedule), "xlsx"))).active
    assert sheet["A1"].value == "Financial year"


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_schedule_import_reads_the_agreement_export_of_its_own_lines(agreement, schedule, file_format):
    """The Schedule column is the agreement-level import's; a schedule's import reads past it."""
    budget_lines_import(schedule=schedule, filename="six.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Aligned,4388588,,No,",
        "2019/20,School nursing,Haringey CCG,Pooled,,To be agreed,Yes,Review",
    ))
    content = export_budget_lines(agreement_lines(agreement), file_format, with_schedule=True)
    preview = build_preview(schedule=schedule, filename=f"agreement.{file_format}", content=content)
    assert preview.ok, [str(e) for e in preview.errors]
    assert (len(preview.new), len(preview.changed), preview.unchanged_count) == (0, 0, 2)


def test_the_agreement_export_view_sends_the_schedule_column(client, agreement, schedule, partners, finance_user):
    from django.urls import reverse

    from partnerships.models import Profile

    _two_schedules(agreement, schedule)
    Profile.objects.create(user=finance_user, partner=partners[0])
    client.force_login(finance_user)
    response = client.get(reverse("budgets:agreement_export", args=[agreement.reference, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Schedule" and [c.value for c in sheet["A"][1:]] == [6, 6, 7]
    schedule_file = client.get(reverse("budgets:schedule_export", args=[agreement.reference, 6, "csv"]))
    assert schedule_file.content.decode("utf-8-sig").startswith("Financial year,")
