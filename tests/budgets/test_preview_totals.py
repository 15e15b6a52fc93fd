"""The preview's totals now and after the import, per financial year and budget type, and its new lines listed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from agreements.models import BudgetLine, Schedule
from agreements.presenters import money
from budgets.importing import build_preview
from budgets.importing.totals import preview_totals
from tests.budgets.helpers import csv_bytes, table_rows

REF = "HARINGEY-S75-2017"


@pytest.fixture
def schedule6(demo):
    return Schedule.objects.get(agreement__reference=REF, number=6)


def stored_total(schedule, year: int, kind: str) -> Decimal:
    return BudgetLine.objects.filter(schedule=schedule, financial_year=year, budget_type=kind).aggregate(
        total=Sum("amount"))["total"] or Decimal("0.00")


FILE = csv_bytes("2018/19,Health visiting,LBH,Aligned,4400000,,Yes,Uplift",  # was £4,388,588
                 "2018/19,Brand new service,LBH,Pooled,10.50,,No,",
                 "2030/31,Future service,NHS Haringey CCG,Aligned,,To be agreed,No,")


def test_totals_before_and_after_per_year_and_type(schedule6):
    aligned_2018, pooled_2018 = stored_total(schedule6, 2018, "aligned"), stored_total(schedule6, 2018, "pooled")
    preview = build_preview(schedule=schedule6, filename="b.csv", content=FILE)
    totals = {(total.financial_year, total.budget_type): total for total in preview_totals(preview)}
    stored_keys = set(BudgetLine.objects.filter(schedule=schedule6).values_list("financial_year", "budget_type"))
    assert set(totals) == stored_keys | {(2018, "pooled"), (2030, "aligned")}
    aligned = totals[(2018, "aligned")]
    assert (aligned.before, aligned.after) == (aligned_2018, aligned_2018 + Decimal("11412"))
    assert aligned.difference_label == "+£11,412"
    pooled = totals[(2018, "pooled")]
    assert (pooled.before, pooled.after, pooled.difference_label) == (pooled_2018, pooled_2018 + Decimal("10.50"),
                                                                      "+£10.50")
    future = totals[(2030, "aligned")]  # a line with no amount adds nothing
    assert (future.before, future.after, future.difference_label) == (0, 0, "No change")
    untouched = [total for key, total in totals.items() if key[0] not in (2018, 2030)]
    assert all(not total.changed for total in untouched)  # any other year the schedule has stays as it is
    # In year order, pooled before aligned within a year.
    keys = [(total.financial_year, total.budget_type) for total in preview_totals(preview)]
    assert keys == sorted(keys, key=lambda key: (key[0], key[1] != "pooled"))


def test_a_lower_amount_shows_as_a_decrease(schedule6):
    aligned_2018 = stored_total(schedule6, 2018, "aligned")
    preview = build_preview(schedule=schedule6, filename="b.csv",
                            content=csv_bytes("2018/19,Health visiting,LBH,Aligned,4388000,,Yes,"))
    total = next(t for t in preview_totals(preview) if (t.financial_year, t.budget_type) == (2018, "aligned"))
    assert total.after == aligned_2018 - Decimal("588") and total.difference_label == "−£588"


def test_the_preview_page_shows_the_totals_and_lists_the_new_lines(schedule6):
    client = Client()
    client.force_login(get_user_model().objects.get(username="haringey-finance"))
    aligned_2018 = stored_total(schedule6, 2018, "aligned")
    response = client.post(reverse("budgets:import", args=[REF, 6]), {"file": SimpleUploadedFile("b.csv", FILE)})
    page = client.get(response["Location"]).content.decode()
    totals = {(row[0], row[1]): row[2:] for row in table_rows(page, "import-totals")}
    assert totals[("2018/19", "Aligned")] == [money(aligned_2018), money(aligned_2018 + 11412), "+£11,412"]
    assert totals[("2030/31", "Aligned")] == ["£0", "£0", "No change"]
    assert table_rows(page, "new-lines") == [
        ["3", "Brand new service", "Haringey Council", "2018/19", "Pooled", "£10.50", "Confirmed"],
        ["4", "Future service", "NHS Haringey CCG", "2030/31", "Aligned", "No amount", "To be agreed"],
    ]
    changed = table_rows(page, "changed-lines")
    assert changed[0][:2] == ["2", "Health visiting · Haringey Council · 2018/19 · Aligned"]
    assert "Amount (£): £4,388,588 → £4,400,000" in changed[0][2]
    assert 'class="govuk-table__cell govuk-table__cell--numeric">£10.50<' in page  # money right-aligned


def test_a_preview_with_errors_shows_no_totals(schedule6):
    client = Client()
    client.force_login(get_user_model().objects.get(username="haringey-finance"))
    response = client.post(reverse("budgets:import", args=[REF, 6]),
                           {"file": SimpleUploadedFile("b.csv", csv_bytes("2018/19,Health visiting,LBH,Aligned,lots,,No,"))})
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-totals"' not in page and 'data-testid="new-lines"' not in page
    assert "Row 2" in page
