"""The downloadable import templates: one per layout, made for the agreement, and accepted back once filled in."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import BudgetLine, Schedule
from budgets.models import BudgetImport

REF = "HARINGEY-S75-2017"
LINE_HEADINGS = ["Financial year", "Service", "Partner", "Budget type", "Amount (£)", "Status",
                 "Ring-fenced public health", "Notes"]


@pytest.fixture
def finance(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="haringey-finance"))
    return client


def template(client, layout: str, file_format: str):
    return client.get(reverse("budgets:import_template", args=[REF, 6, layout, file_format]))


def book_of(response):
    return load_workbook(io.BytesIO(response.content))


def filled_in(response, rows: list[list]) -> bytes:
    """The downloaded xlsx with `rows` typed in below its headings, saved as Excel would."""
    book = book_of(response)
    for row in rows:
        book.worksheets[0].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_and_confirm(client, url: str, content: bytes, name: str, **data):
    response = client.post(url, {"file": SimpleUploadedFile(name, content), **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-errors">0<' in preview
    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    return preview


def test_the_upload_page_links_to_a_template_of_each_layout(finance):
    page = finance.get(reverse("budgets:import", args=[REF, 6])).content.decode()
    for layout in ("budget-lines", "schedule-table"):
        for file_format in ("xlsx", "csv"):
            assert reverse("budgets:import_template", args=[REF, 6, layout, file_format]) in page
    assert "Download a template: budget lines (xlsx)" in page
    assert "Download a template: schedule table (xlsx)" in page


def test_the_budget_lines_template_is_the_heading_row_bold_and_frozen_with_no_lines(finance):
    response = template(finance, "budget-lines", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="budget-lines-template.xlsx"' in response["Content-Disposition"]
    book = book_of(response)
    lines, guidance = book.worksheets
    assert [cell.value for cell in lines[1]] == LINE_HEADINGS
    assert all(cell.font.bold for cell in lines[1])
    assert lines.freeze_panes == "A2"
    assert lines.max_row == 1  # no example line that could be imported by mistake
    # The columns with fixed answers offer them; partners are the agreement's own.
    offered = {str(validation.sqref).split(":")[0]: validation.formula1 for validation in lines.data_validations.dataValidation}
    assert offered["C2"] == '"Haringey Council,NHS Haringey CCG"'
    assert offered["D2"] == '"Pooled,Aligned"'
    assert offered["F2"] == '"Confirmed,To be agreed,Not applicable,Within block contract"'
    assert offered["G2"] == '"Yes,No"'
    # The second sheet says what to write in each column, naming the agreement's partners.
    assert guidance.title == "How to fill in"
    rows = {row[0]: row for row in guidance.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == LINE_HEADINGS
    assert rows["Financial year"][1] == "Yes" and "2018/19" in rows["Financial year"][2]
    assert "Haringey Council (LBH)" in rows["Partner"][2] and "NHS Haringey CCG" in rows["Partner"][2]
    assert rows["Notes"][1] == "No"


def test_the_csv_template_is_the_heading_row_alone(finance):
    response = template(finance, "budget-lines", "csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig") == ",".join(LINE_HEADINGS) + "\r\n"
    table = template(finance, "schedule-table", "csv").content.decode("utf-8-sig")
    assert table == "Service,Haringey Council,NHS Haringey CCG\r\n"


def test_a_filled_in_budget_lines_template_imports(finance, demo):
    schedule = Schedule.objects.get(agreement__reference=REF, number=6)
    content = filled_in(template(finance, "budget-lines", "xlsx"), [
        ["2019/20", "Template service", "Haringey Council", "Pooled", 125000, "Confirmed", "Yes", "From the template"],
        ["2019/20", "Template service", "NHS Haringey CCG", "Pooled", None, "To be agreed", "No", None],
    ])
    import_and_confirm(finance, reverse("budgets:import", args=[REF, 6]), content, "budget-lines-template.xlsx")
    lines = BudgetLine.objects.filter(schedule=schedule, service="Template service").order_by("partner__name")
    assert [(line.partner.name, line.amount, line.status, line.ring_fenced_public_health, line.notes)
            for line in lines] == [
        ("Haringey Council", Decimal("125000.00"), "confirmed", True, "From the template"),
        ("NHS Haringey CCG", None, "to_be_agreed", False, ""),
    ]
    assert BudgetImport.objects.get().created_count == 2


def test_a_filled_in_csv_template_imports(finance, demo):
    downloaded = template(finance, "budget-lines", "csv").content
    content = downloaded + "2019/20,CSV template service,LBH,Aligned,\"£1,500\",,No,\r\n".encode()
    import_and_confirm(finance, reverse("budgets:import", args=[REF, 6]), content, "budget-lines-template.csv")
    line = BudgetLine.objects.get(service="CSV template service")
    assert (line.amount, line.budget_type, line.status) == (Decimal("1500.00"), "aligned", "confirmed")


def test_a_filled_in_schedule_table_template_imports(finance, demo):
    response = template(finance, "schedule-table", "xlsx")
    sheet = book_of(response).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Service", "Haringey Council", "NHS Haringey CCG"]
    content = filled_in(response, [["Table template service", "£10,000", "Not applicable"]])
    import_and_confirm(finance, reverse("budgets:import", args=[REF, 6]), content, "schedule-table-template.xlsx",
                       financial_year="2019/20", budget_type="aligned")
    lines = {line.partner.name: line for line in BudgetLine.objects.filter(service="Table template service")}
    assert lines["Haringey Council"].amount == Decimal("10000.00")
    assert lines["NHS Haringey CCG"].status == "not_applicable"
    assert {line.financial_year for line in lines.values()} == {2019}


def test_the_agreement_template_has_the_schedule_column_first_and_imports(finance, demo):
    response = finance.get(reverse("budgets:agreement_import_template", args=[REF, "xlsx"]))
    assert response.status_code == 200
    lines, guidance = book_of(response).worksheets
    assert [cell.value for cell in lines[1]] == ["Schedule", *LINE_HEADINGS]
    schedule_help = next(row for row in guidance.iter_rows(min_row=2, values_only=True) if row[0] == "Schedule")
    assert schedule_help[1] == "Yes" and "6 (" in schedule_help[2]
    content = filled_in(response, [[1, "2019/20", "Agreement template service", "LBH", "Pooled", 1, None, None, None],
                                   [6, "2019/20", "Agreement template service", "LBH", "Pooled", 6, None, None, None]])
    import_and_confirm(finance, reverse("budgets:agreement_import", args=[REF]), content, "agreement.xlsx")
    assert sorted(BudgetLine.objects.filter(service="Agreement template service")
                  .values_list("schedule__number", "amount")) == [(1, Decimal("1.00")), (6, Decimal("6.00"))]
    csv = finance.get(reverse("budgets:agreement_import_template", args=[REF, "csv"])).content.decode("utf-8-sig")
    assert csv == ",".join(["Schedule", *LINE_HEADINGS]) + "\r\n"


@pytest.mark.parametrize("layout, file_format", [("budget-lines", "pdf"), ("pivot", "xlsx")])
def test_an_unknown_template_is_not_found(finance, layout, file_format):
    assert template(finance, layout, file_format).status_code == 404


def test_outsiders_get_no_template(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="cambridgeshire-commissioner"))
    assert template(client, "budget-lines", "xlsx").status_code == 404
    assert client.get(reverse("budgets:agreement_import_template", args=[REF, "csv"])).status_code == 404
