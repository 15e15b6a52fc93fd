from __future__ import annotations

from decimal import Decimal

import pytest

from agreements.budget_values import CellError, parse_amount, parse_financial_year
from agreements.models import BudgetStatus
from budgets.importing.parsing import AmountCell, parse_amount_cell, parse_table_cell


@pytest.mark.parametrize("value, expected", [
    (4388588, Decimal("4388588.00")),
    (4388588.1, Decimal("4388588.10")),
    (0.1, Decimal("0.10")),
    ("£4,388,588", Decimal("4388588.00")),
    ("£ 443,441.00", Decimal("443441.00")),
    ("4388588.00", Decimal("4388588.00")),
    (" 12.5 ", Decimal("12.50")),
    ("", None),
    (None, None),
])
def test_amounts_are_exact_decimals(value, expected):
    result = parse_amount(value)
    assert result == expected
    assert result is None or isinstance(result, Decimal)


@pytest.mark.parametrize("value", ["-5", "£-5", -5, "abc", "1.234", 1.234, "£4,38,588", "12 pounds"])
def test_bad_amounts_are_refused(value):
    with pytest.raises(CellError):
        parse_amount(value)


@pytest.mark.parametrize("value", ["2017/18", "2017-18", "2017/2018", " 2017 / 18 "])
def test_financial_years(value):
    assert parse_financial_year(value) == 2017


@pytest.mark.parametrize("value", ["2017/19", "17/18", "2017", "next year", "", "2017/2019"])
def test_bad_financial_years(value):
    with pytest.raises(CellError):
        parse_financial_year(value)


def test_table_cells():
    assert parse_table_cell("Not applicable").status == BudgetStatus.NOT_APPLICABLE
    both = parse_table_cell("£840,000 Final amounts to be agreed as part of the Specialist Therapies Review")
    assert (both.amount, both.status) == (Decimal("840000.00"), BudgetStatus.TO_BE_AGREED)
    assert both.notes == "Final amounts to be agreed as part of the Specialist Therapies Review"
    block = parse_table_cell("Provided by local hospital and part of a block arrangement.")
    assert (block.amount, block.status) == (None, BudgetStatus.WITHIN_BLOCK)
    assert parse_table_cell("£54,696").status == BudgetStatus.CONFIRMED
    assert parse_table_cell(None) is None
    with pytest.raises(CellError):
        parse_table_cell("ask Bob")


@pytest.mark.parametrize("value, amount, status, notes", [
    (4388588, Decimal("4388588.00"), None, ""),
    ("£4,388,588", Decimal("4388588.00"), None, ""),
    (None, None, None, ""),
    ("To be agreed", None, BudgetStatus.TO_BE_AGREED, ""),
    ("to be agreed", None, BudgetStatus.TO_BE_AGREED, ""),
    ("TBC", None, BudgetStatus.TO_BE_AGREED, ""),
    ("Not applicable", None, BudgetStatus.NOT_APPLICABLE, ""),
    ("N/A", None, BudgetStatus.NOT_APPLICABLE, ""),
    ("Within block contract", None, BudgetStatus.WITHIN_BLOCK, ""),
    ("£840,000 Final amounts to be agreed as part of the review", Decimal("840000.00"), BudgetStatus.TO_BE_AGREED,
     "Final amounts to be agreed as part of the review"),
    ("Part of the provider block contract", None, BudgetStatus.WITHIN_BLOCK, "Part of the provider block contract"),
])
def test_amount_cells_of_the_budget_lines_layout_read_status_words(value, amount, status, notes):
    assert parse_amount_cell(value) == AmountCell(amount, status, notes)


@pytest.mark.parametrize("value, message", [
    ("about a million", "“about a million” is not an amount in pounds or a status"),
    ("-5", "negative"),
    ("1.234", "more than 2 decimal places"),
    ("£4,38,588", "commas in the wrong places"),
])
def test_amount_cells_keep_saying_what_is_wrong_with_an_amount(value, message):
    with pytest.raises(CellError, match=message):
        parse_amount_cell(value)
