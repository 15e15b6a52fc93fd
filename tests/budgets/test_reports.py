from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from budgets.importing import budget_lines_import
from budgets.reports import (
    budget_totals,
    quarterly_instalments,
    reports_xlsx,
    ring_fenced_public_health,
    schedule_lines,
)
from tests.budgets.helpers import csv_bytes


@pytest.mark.parametrize("annual", ["100.00", "100.01", "100.03", "0.01", "0.00", "1911000.00", "4388588.99",
                                    "999999999999.99"])
def test_quarterly_instalments_sum_to_the_penny(annual):
    quarters = quarterly_instalments(Decimal(annual))
    assert len(quarters) == 4
    assert sum(quarters) == Decimal(annual)
    assert quarters[0] == quarters[1] == quarters[2] <= quarters[3]
    assert quarters[3] - quarters[0] < Decimal("0.04")


def test_ring_fenced_report_and_totals(schedule):
    budget_lines_import(schedule=schedule, filename="ph.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,1000.03,,Yes,",
        "2018/19,School nursing,LBH,Aligned,500,To be agreed,Yes,",
        "2018/19,Family nurse partnership,LBH,Aligned,70,,No,",
        "2018/19,Oral health,NHS Haringey CCG,Pooled,,Within block contract,No,",
    ))
    ring = ring_fenced_public_health(schedule_lines(schedule))
    assert len(ring) == 1
    row = ring[0]
    assert (row.partner, row.year_label, row.annual, row.lines) == ("Haringey Council", "2018/19",
                                                                    Decimal("1500.03"), 2)
    assert row.quarters == [Decimal("375.00")] * 3 + [Decimal("375.03")]
    assert row.not_yet_agreed == Decimal("500.00")

    totals = {t.partner: t for t in budget_totals(schedule_lines(schedule))}
    lbh = totals["Haringey Council"]
    assert (lbh.pooled, lbh.aligned, lbh.to_be_agreed, lbh.to_be_agreed_lines) == (
        Decimal("1000.03"), Decimal("70.00"), Decimal("500.00"), 1)
    assert totals["NHS Haringey CCG"].total == 0


    book = openpyxl.load_workbook(io.BytesIO(reports_xlsx(schedule_lines(schedule))))
    assert book.sheetnames == ["Totals", "Ring-fenced public health"]
    rows = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    assert rows["Totals"][0][:3] == ("Financial year", "Partner", "Pooled (£)")
    assert ("2018/19", "Haringey Council", 1000.03, 70, 1070.03, 500, 1) in rows["Totals"]
    assert rows["Ring-fenced public health"][1] == ("2018/19", "Haringey Council", 1500.03, 375, 375, 375, 375.03, 500)
    totals = book["Totals"]
    assert totals["A1"].font.b and totals.freeze_panes == "A2"  # the header row stays in view
    assert totals.auto_filter.ref == totals.dimensions
    assert [cell.number_format for cell in totals[2]][2:6] == ["#,##0.00"] * 4  # £ columns: 1,070.03
    assert totals["G2"].number_format == "General"  # a count of lines is not money
