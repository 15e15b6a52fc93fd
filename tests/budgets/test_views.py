"""Budget pages: who may use them, upload → preview → confirm, export and reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements.models import BudgetLine, Schedule
from budgets.models import BudgetImport
from tests.budgets.helpers import csv_bytes, table_rows, written, xlsx_bytes

REF = "HARINGEY-S75-2017"


@pytest.fixture
def client_for(demo):
    def make(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


@pytest.fixture
def schedule6(demo):
    return Schedule.objects.get(agreement__reference=REF, number=6)


def upload(client, content: bytes, name: str = "budget.csv", **data):
    return client.post(reverse("budgets:import", args=[REF, 6]),
                       {"file": SimpleUploadedFile(name, content), **data})


@pytest.mark.parametrize("username, status", [
    ("haringey-finance", 200), ("haringey-commissioner", 200), ("haringey-viewer", 403), ("haringey-legal", 403),
    ("cambridgeshire-commissioner", 404),
])
def test_who_may_import(client_for, schedule6, username, status):
    assert client_for(username).get(reverse("budgets:import", args=[REF, 6])).status_code == status


def test_outsiders_get_404_on_every_budget_page(client_for, schedule6):
    client = client_for("cambridgeshire-commissioner")
    for url in [reverse("budgets:schedule_export", args=[REF, 6, "csv"]), reverse("budgets:schedule_reports", args=[REF, 6]),
                reverse("budgets:agreement_reports", args=[REF]), reverse("budgets:agreement_export", args=[REF, "xlsx"])]:
        assert client.get(url).status_code == 404, url


def test_upload_preview_confirm(client_for, schedule6):
    client = client_for("haringey-finance")
    before = written()
    response = upload(client, csv_bytes("2018/19,Health visiting,LBH,Aligned,4400000,,Yes,Uplift",
                                        "2018/19,Brand new service,LBH,Pooled,10.50,,No,"))
    assert response.status_code == 302
    assert written() == before  # nothing written before confirm
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="count-new">1<' in body and 'data-testid="count-changed">1<' in body
    assert "£4,388,588 → <strong>£4,400,000</strong>" in body
    assert written() == before
    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    record = BudgetImport.objects.get()
    assert confirmed["Location"] == reverse("budgets:import_result", args=[REF, 6, record.pk])
    assert (record.created_count, record.changed_count) == (1, 1)
    assert BudgetLine.objects.get(schedule=schedule6, service="Brand new service").amount == Decimal("10.50")
    result = client.get(confirmed["Location"])
    assert "1 new, 1 changed" in result.content.decode()
    # The token is used up.
    assert client.post(response["Location"]).status_code == 404


def test_broken_file_shows_rows_and_cannot_be_confirmed(client_for, schedule6):
    client = client_for("haringey-finance")
    before = written()
    response = upload(client, csv_bytes("2018/19,Health visiting,LBH,Aligned,lots,,No,"))
    body = client.get(response["Location"]).content.decode()
    assert "govuk-error-summary" in body and "Row 2" in body and "lots" in body
    assert "Confirm import" not in body
    assert client.post(response["Location"]).status_code == 200
    assert written() == before


def test_schedule_table_needs_year_and_type(client_for, schedule6, shared_budgets):
    client = client_for("haringey-finance")
    content = (shared_budgets / "haringey-schedule-6-aligned-budgets.xlsx").read_bytes()
    response = upload(client, content, name="haringey.xlsx")
    assert response.status_code == 200
    assert "enter the financial year" in response.content.decode()
    response = upload(client, content, name="haringey.xlsx", financial_year="2018/19", budget_type="aligned")
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-errors">0<' in body


def test_confirm_after_someone_else_changed_the_lines_is_refused(client_for, schedule6):
    client = client_for("haringey-finance")
    response = upload(client, csv_bytes("2018/19,Health visiting,LBH,Aligned,1,,No,"))
    client.get(response["Location"])
    other = client_for("haringey-commissioner")
    other_upload = upload(other, csv_bytes("2018/19,Health visiting,LBH,Aligned,2,,No,"))
    assert other.post(other_upload["Location"]).status_code == 302
    before = written()
    refused = client.post(response["Location"])
    assert refused.status_code == 409
    assert "someone changed this schedule" in refused.content.decode()
    assert written() == before


def test_export_and_reports(client_for, schedule6):
    client = client_for("haringey-viewer")
    csv_response = client.get(reverse("budgets:schedule_export", args=[REF, 6, "csv"]))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "Financial year,Service,Partner" in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("budgets:agreement_export", args=[REF, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    page = client.get(reverse("budgets:schedule_reports", args=[REF, 6]))
    assert page.status_code == 200 and "Ring-fenced public health" in page.content.decode()
    assert client.get(reverse("budgets:agreement_reports_xlsx", args=[REF])).content[:2] == b"PK"
    assert client.get(reverse("budgets:schedule_export", args=[REF, 6, "pdf"])).status_code == 404


STATUS_WORDS = [["2018/19", "New service one", "LBH", "Pooled", "To be agreed"],
                ["2018/19", "New service two", "LBH", "Pooled", "N/A"],
                ["2018/19", "New service three", "NHS Haringey CCG", "Pooled", "Within block contract"],
                ["2018/19", "New service four", "LBH", "Pooled", "Not applicable"]]
SHORT_HEADER = "Financial year,Service,Partner,Budget type,Amount (£)"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_preview_reads_status_words_in_the_amount_column(client_for, schedule6, kind):
    client = client_for("haringey-finance")
    content = (xlsx_bytes([SHORT_HEADER.split(","), *STATUS_WORDS]) if kind == "xlsx"
               else csv_bytes(*(",".join(row) for row in STATUS_WORDS), header=SHORT_HEADER))
    response = upload(client, content, name=f"words.{kind}")
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-errors">0<' in body and 'data-testid="count-new">4<' in body
    assert table_rows(body, "new-lines") == [
        ["2", "New service one", "Haringey Council", "2018/19", "Pooled", "No amount", "To be agreed"],
        ["3", "New service two", "Haringey Council", "2018/19", "Pooled", "No amount", "Not applicable"],
        ["4", "New service three", "NHS Haringey CCG", "2018/19", "Pooled", "No amount", "Within block contract"],
        ["5", "New service four", "Haringey Council", "2018/19", "Pooled", "No amount", "Not applicable"],
    ]
    assert client.post(response["Location"]).status_code == 302
    assert BudgetLine.objects.get(schedule=schedule6, service="New service three").status == "within_block"


def test_preview_names_a_status_word_that_contradicts_the_status_column(client_for, schedule6):
    client = client_for("haringey-finance")
    before = written()
    response = upload(client, csv_bytes("2018/19,New service,LBH,Pooled,To be agreed,Confirmed,No,"))
    body = client.get(response["Location"]).content.decode()
    assert ("Row 2, column “Status”: The Amount (£) column says “To be agreed” but the Status column says "
            "“Confirmed”: make them agree, or leave the Status blank.") in body
    assert "Confirm import" not in body
    assert written() == before


def test_preview_names_a_formula_with_no_saved_value(client_for, schedule6):
    client = client_for("haringey-finance")
    before = written()
    content = xlsx_bytes([SHORT_HEADER.split(","),
                          ["2018/19", '=HYPERLINK("http://example.invalid","Health visiting")', "LBH", "Pooled", 5]])
    response = upload(client, content, name="formulas.xlsx")
    body = client.get(response["Location"]).content.decode()
    assert ("Row 2, column “Service”: the cell holds a formula (=HYPERLINK(…)) with no saved value; type the text "
            "instead.") in body
    # In the table of rows to correct: the row, the column, the formula as written, and what is wrong.
    assert ('<td class="govuk-table__cell">2</td><td class="govuk-table__cell">Service</td>\n      '
            '<td class="govuk-table__cell">=HYPERLINK(&quot;http://example.invalid&quot;,&quot;Health visiting&quot;)'
            '</td><td class="govuk-table__cell">The cell holds a formula (=HYPERLINK(…)) with no saved value; type the '
            'text instead.</td>') in body
    assert "Enter the service" not in body and "Confirm import" not in body
    assert written() == before


@pytest.mark.parametrize("name", ["README.md", "budgets.csv"])
def test_a_readme_uploaded_as_budgets_is_not_a_spreadsheet(client_for, schedule6, shared_budgets, name):
    client = client_for("haringey-finance")
    before = written()
    response = upload(client, (shared_budgets / "README.md").read_bytes(), name=name)
    assert response.status_code == 302  # not taken for a schedule table wanting a year and a budget type
    body = client.get(response["Location"]).content.decode()
    assert "There is a problem" in body
    assert f"{name} is not a spreadsheet: upload an xlsx or csv file." in body
    assert "Confirm import" not in body
    assert written() == before
