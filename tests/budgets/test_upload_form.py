"""The upload form: errors on the year and budget-type fields themselves, and the chosen file kept after an error."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from budgets.forms import CHOSEN_FILE
from budgets.models import BudgetImport
from budgets.pending import pending_upload_delete
from budgets.upload_session import CHOSEN
from tests.budgets.helpers import csv_bytes, written

REF = "HARINGEY-S75-2017"
URL = reverse("budgets:import", args=[REF, 6])


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def finance(demo):
    return client_for("haringey-finance")


@pytest.fixture
def table(shared_budgets) -> bytes:
    return (shared_budgets / "haringey-schedule-6-aligned-budgets.xlsx").read_bytes()


def group_of(page: str, field_id: str) -> str:
    """The GOV.UK form group holding the field `field_id`."""
    groups = re.findall(r'<div class="govuk-form-group[^"]*">.*?</div>\s*(?=<div class="govuk-form-group|<details|'
                        r'<div class="govuk-button-group|<div class="govuk-inset-text|<input type="hidden")', page, re.S)
    found = [group for group in groups if f'id="{field_id}"' in group]
    assert len(found) == 1, f"no single form group holds #{field_id}"
    return found[0]


def chosen_token(page: str) -> str:
    match = re.search(rf'name="{CHOSEN_FILE}" value="([^"]+)"', page)
    assert match, "the page does not carry the kept file"
    return match.group(1)


def test_a_schedule_table_without_year_and_type_shows_both_errors_on_their_fields(finance, table):
    response = finance.post(URL, {"file": SimpleUploadedFile("haringey.xlsx", table)})
    assert response.status_code == 200
    page = response.content.decode()
    year = group_of(page, "id_financial_year")
    assert "govuk-form-group--error" in year
    assert ('<p id="id_financial_year-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:'
            '</span> This file is a schedule table: enter the financial year it is for.</p>') in year
    assert re.search(r'<input[^>]*class="govuk-input govuk-input--width-10 govuk-input--error"[^>]*id="id_financial_year"', year)
    assert re.search(r'aria-describedby="id_financial_year-hint id_financial_year-error"', year)
    kind = group_of(page, "id_budget_type")
    assert "govuk-form-group--error" in kind and 'id="id_budget_type-error"' in kind
    assert "choose whether its budgets are pooled or aligned" in kind
    assert re.search(r'<select[^>]*class="govuk-select govuk-select--error"', kind)
    # The summary links to each field.
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#id_financial_year">This file is a schedule table: enter the financial year it is for.</a>' in summary
    assert '<a href="#id_budget_type">' in summary


def test_a_year_that_cannot_be_read_is_an_error_on_the_year_field(finance):
    response = finance.post(URL, {"file": SimpleUploadedFile("b.csv", csv_bytes()), "financial_year": "next year"})
    page = response.content.decode()
    year = group_of(page, "id_financial_year")
    assert "govuk-form-group--error" in year and "govuk-input--error" in year and "next year" in year
    assert "govuk-form-group--error" not in group_of(page, "id_budget_type")
    assert "govuk-form-group--error" not in group_of(page, "id_file")


def test_the_chosen_file_is_kept_after_an_error_and_checked_without_choosing_it_again(finance, table):
    before = written()
    first = finance.post(URL, {"file": SimpleUploadedFile("haringey.xlsx", table), "reason": "March board"})
    page = first.content.decode()
    assert "You chose <strong>haringey.xlsx</strong>" in page
    assert '<label class="govuk-label govuk-label--s" for="id_file">Choose a different file (optional)</label>' in page
    assert 'value="March board"' in page  # what was typed stays too
    token = chosen_token(page)
    # Sent again with the year and type only: the kept file is the one checked.
    second = finance.post(URL, {CHOSEN_FILE: token, "financial_year": "2025/26", "budget_type": "aligned",
                                "reason": "March board"})
    assert second.status_code == 302
    preview = finance.get(second["Location"]).content.decode()
    assert "haringey.xlsx" in preview and 'data-testid="count-errors">0<' in preview
    assert not finance.session.get(CHOSEN)  # the kept file is now the preview's, not kept twice
    confirmed = finance.post(second["Location"])
    assert confirmed.status_code == 302
    record = BudgetImport.objects.get()
    assert confirmed["Location"].endswith(f"/imports/{record.pk}/")
    assert (record.filename, record.financial_year, record.revision.reason) == ("haringey.xlsx", 2025, "March board")
    assert record.created_count > 0 and written()[0] == before[0] + record.created_count


def test_a_different_file_chosen_on_the_second_try_replaces_the_kept_one(finance, table):
    first = finance.post(URL, {"file": SimpleUploadedFile("haringey.xlsx", table)})
    token = chosen_token(first.content.decode())
    replacement = csv_bytes("2018/19,Health visiting,LBH,Aligned,4400000,,Yes,")
    second = finance.post(URL, {CHOSEN_FILE: token, "file": SimpleUploadedFile("lines.csv", replacement)})
    assert second.status_code == 302
    assert "lines.csv" in finance.get(second["Location"]).content.decode()
    assert not finance.session.get(CHOSEN)  # the old kept file is forgotten


def test_a_new_file_with_another_error_replaces_the_kept_one(finance, table):
    first = finance.post(URL, {"file": SimpleUploadedFile("first.xlsx", table)})
    token = chosen_token(first.content.decode())
    second = finance.post(URL, {CHOSEN_FILE: token, "file": SimpleUploadedFile("second.xlsx", table)})
    page = second.content.decode()
    assert "You chose <strong>second.xlsx</strong>" in page and "first.xlsx" not in page
    assert list(finance.session[CHOSEN]) == [chosen_token(page)]


def test_a_kept_file_works_only_in_the_session_and_schedule_that_kept_it(finance, table):
    token = chosen_token(finance.post(URL, {"file": SimpleUploadedFile("haringey.xlsx", table)}).content.decode())
    other = client_for("haringey-commissioner")
    response = other.post(URL, {CHOSEN_FILE: token, "financial_year": "2018/19", "budget_type": "aligned"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the spreadsheet to import." in page and "haringey.xlsx" not in page
    elsewhere = finance.post(reverse("budgets:import", args=[REF, 5]),
                             {CHOSEN_FILE: token, "financial_year": "2018/19", "budget_type": "aligned"})
    assert "Choose the spreadsheet to import." in elsewhere.content.decode()


def test_an_expired_kept_file_asks_for_the_file_again(finance, table):
    token = chosen_token(finance.post(URL, {"file": SimpleUploadedFile("haringey.xlsx", table)}).content.decode())
    pending_upload_delete(finance.session[CHOSEN][token]["path"])
    response = finance.post(URL, {CHOSEN_FILE: token, "financial_year": "2018/19", "budget_type": "aligned"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file you chose before has expired: choose it again." in page
    assert "govuk-form-group--error" in group_of(page, "id_file") and "govuk-file-upload--error" in page
    assert "You chose" not in page


def test_a_file_that_is_itself_refused_is_not_kept(finance):
    response = finance.post(URL, {"file": SimpleUploadedFile("empty.csv", b""), "financial_year": "2018/19"})
    page = response.content.decode()
    assert "The file is empty" in page and "You chose" not in page
    assert not finance.session.get(CHOSEN)


def test_the_agreement_upload_keeps_the_chosen_file_too(finance):
    url = reverse("budgets:agreement_import", args=[REF])
    content = ("Schedule,Financial year,Service,Partner,Budget type,Amount (£)\r\n"
               "6,2018/19,Kept service,LBH,Pooled,5\r\n").encode()
    response = finance.post(url, {"file": SimpleUploadedFile("agreement.csv", content), "reason": "x" * 501})
    page = response.content.decode()
    assert "You chose <strong>agreement.csv</strong>" in page
    assert "govuk-form-group--error" in group_of(page, "id_reason")
    second = finance.post(url, {CHOSEN_FILE: chosen_token(page), "reason": "Budgets agreed"})
    assert second.status_code == 302
    assert 'data-testid="count-new">1<' in finance.get(second["Location"]).content.decode()
