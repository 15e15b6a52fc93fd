"""Budget pages write money one way (documents.money), right-aligned in tables, and partners by name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from budgets.importing import budget_lines_import
from partnerships.models import Profile
from tests.budgets.helpers import csv_bytes


@pytest.fixture
def client_in(client, schedule, partners, finance_user):
    Profile.objects.create(user=finance_user, partner=partners[0])
    client.force_login(finance_user)
    budget_lines_import(schedule=schedule, filename="lines.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,4388588,,Yes,",
        "2018/19,School nursing,LBH,Aligned,1234.50,,No,",
        "2018/19,Oral health,Haringey CCG,Aligned,840000,To be agreed,No,",
    ))
    return client


def _numeric_cells(html: str) -> list[str]:
    return re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)', html)


def test_the_reports_page_writes_pounds_with_pence_only_where_there_are_pence(client_in, schedule):
    page = client_in.get(reverse("budgets:schedule_reports", args=[schedule.agreement.reference, 6])).content.decode()
    cells = _numeric_cells(page)
    # Totals: Haringey Council pooled, aligned, confirmed total, to be agreed; then the ring-fenced annual and quarters.
    assert ["£4,388,588", "£1,234.50", "£4,389,822.50", "£0"] == cells[:4]
    assert ["£4,388,588", "£1,097,147"] == cells[-5:-3]
    assert "£840,000 (1 line)" in page
    assert ".00<" not in page and "£4,388,588.00" not in page


def test_the_schedule_page_names_partners_in_full(client_in, schedule):
    page = client_in.get(reverse("schedule", args=[schedule.agreement.reference, 6])).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header">([^<]*)</th>', page)
    assert "Haringey Council" in headers and "NHS Haringey CCG" in headers and "LBH" not in headers
    assert "£4,388,588" in page and "£1,234.50" in page
