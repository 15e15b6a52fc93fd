"""Monitoring writes money as every other page does (documents.money), and reads back what it shows."""

from __future__ import annotations

from decimal import Decimal

from budgets.monitoring.charts import _pounds, budget_by_partner, forecast_path_chart
from budgets.monitoring.models import credit_problem
from budgets.monitoring.values import parse_signed_amount
from budgets.monitoring.variance import Figures, Limits
from documents.money import money


def test_a_credit_as_the_page_shows_it_reads_back():
    shown = money(Decimal("-1200.50"))
    assert shown == "−£1,200.50"
    assert parse_signed_amount(shown) == Decimal("-1200.50")
    assert parse_signed_amount("-£1,200.50") == parse_signed_amount("(1,200.50)") == Decimal("-1200.50")


def test_messages_name_amounts_in_the_one_format():
    assert credit_problem(Decimal("-50"), "") == "An actual to date below £0 (−£50) is a credit: say why in the notes."
    assert Limits(Decimal("1"), Decimal("3"), Decimal("50000")).describe().endswith("red from 3 % or £50,000")


def test_chart_descriptions_and_axis_ticks():
    chart = budget_by_partner([Figures("Haringey Council", budget=Decimal("4388588"), forecast=Decimal("4400000.50"))])
    assert chart.summary == "Haringey Council: budget £4,388,588, forecast £4,400,000.50 (£11,412.50 over)."
    path = [{"period": 3, "budget": Decimal("1000"), "forecast": Decimal("1000"), "variance": Decimal("0")},
            {"period": 6, "budget": Decimal("1000"), "forecast": Decimal("900"), "variance": Decimal("-100")}]
    summary = forecast_path_chart(path).summary
    assert "fell by £100, from £1,000 to £900" in summary and "(variance at P6: −£100)" in summary
    assert [_pounds(v) for v in (2_500_000, 350_000, -50_000, 0)] == ["£2.5m", "£350k", "−£50k", "£0"]
