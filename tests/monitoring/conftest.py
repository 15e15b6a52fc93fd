"""Fixtures for monitoring: the test Haringey Schedule 6 with 2018/19 budget lines, imported through the budget engine."""

from __future__ import annotations

import pytest

from agreements.models import BudgetLine
from budgets.importing import budget_lines_import
from tests.budgets.conftest import agreement, finance_user, partners, schedule  # noqa: F401

LINES = (
    b"Financial year,Service,Partner,Budget type,Amount,Status\n"
    b"2018/19,Health visiting,LBH,Aligned,4388588,\n"
    b"2018/19,School nursing,LBH,Aligned,661500,\n"
    b"2018/19,Oral health promotion,LBH,Aligned,70000,\n"
    b"2018/19,Continuing care,Haringey CCG,Aligned,1000000,\n"
    b"2018/19,Speech therapy,Haringey CCG,Aligned,,To be agreed\n"
)


@pytest.fixture
def lines(schedule):  # noqa: F811
    budget_lines_import(schedule=schedule, filename="lines.csv", content=LINES, reason="Budgets for 2018/19")
    return {line.service: line for line in BudgetLine.objects.filter(schedule=schedule)}


def values(**by_line):
    """{line: (actual, forecast, notes)} -> the values return_save takes."""
    return {line.pk: {"actual_to_date": a, "forecast_outturn": f, "notes": n} for line, (a, f, n) in by_line.items()}
