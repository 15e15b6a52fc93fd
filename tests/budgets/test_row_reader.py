"""Reading each repeating value once per file gives exactly what checking every row in full gives.

The budget-lines parser reads a row's year, partner, type, status and yes/no once per distinct
value, and plain amounts and API records by a shorter way (`preview._RowReader`,
`records._plain_values`); any row it cannot vouch for goes to the full check. These tests read
the same rows both ways, the full way forced for every row, and compare lines and errors.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.importing import preview, records
from budgets.importing.preview import ROW_HEADINGS, PartnerDirectory, _parse_budget_lines
from budgets.importing.records import rows_from_records
from budgets.importing.xlsx_cells import UnsavedFormula
from tests.factories import make_agreement, make_ccg, make_council, make_partner, make_schedule

pytestmark = pytest.mark.django_db


def _full_check_only(self, values):
    raise preview._NeedsFullCheck


def _parsed_both_ways(schedule, rows, monkeypatch):
    fast_errors: list = []
    fast = _parse_budget_lines(rows, 0, PartnerDirectory(schedule), fast_errors)
    with monkeypatch.context() as patch:
        patch.setattr(preview._RowReader, "fast", _full_check_only)
        full_errors: list = []
        full = _parse_budget_lines(rows, 0, PartnerDirectory(schedule), full_errors)
    return (fast, fast_errors), (full, full_errors)


def test_mixed_rows_read_once_per_value_give_the_full_check_lines_and_errors(monkeypatch):
    council, ccg = make_council(name="Rowtown Council"), make_ccg(name="NHS Rowtown CCG")
    outsider = make_partner(name="Elsewhere Council")
    schedule = make_schedule(agreement=make_agreement(partners=[council, ccg]))
    good = ["2024/25", "Home care", "Rowtown Council", "Pooled", "1000.50", "", "No", ""]
    variants = [
        good,
        ["2024/25", "Home care", "Rowtown Council", "Pooled", "1000.50", "", "No", ""],  # a duplicate line
        ["2024/25", "Day care", "NHS Rowtown CCG", "aligned", 1200, "confirmed", True, "a note"],
        ["2024-25", "Day care", "Rowtown Council", "Pooled", Decimal("7.5"), None, Decimal("1"), None],
        ["2024/25", "Respite", "Rowtown Council", "Pooled", "5", "", Decimal("1.0"), ""],  # 1.0 is not Yes or No
        ["2024/26", "Respite", "Rowtown Council", "Pooled", "5", "", "No", ""],  # a wrong year, then a right one
        ["2024/25", "Respite", "Rowtown Council", "Pooled", "5.123", "", "No", ""],
        ["2024/25", "Meals", "Rowtown Council", "Pooled", "£4,388,588", "", "yes", ""],
        ["2024/25", "Meals", "NHS Rowtown CCG", "Pooled", "To be agreed", "", "no", ""],
        ["2024/25", "Meals", "NHS Rowtown CCG", "Aligned", "£840,000 to be agreed after review", "Confirmed", "", ""],
        ["2024/25", "Meals", "Elsewhere Council", "Pooled", "10", "", "No", ""],  # not a party
        ["2024/25", "Meals", "Nobody", "Pooled", "10", "", "No", ""],
        ["2024/25", "", "Rowtown Council", "Pooled", "10", "", "No", ""],
        ["2024/25", "x" * 301, "Rowtown Council", "Pooled", "10", "", "No", ""],
        [UnsavedFormula("=A1"), "Formula", "Rowtown Council", "Pooled", UnsavedFormula("=B2"), "", "No", ""],
        ["2024/25", "Formula", "Rowtown Council", "Pooled", "10", "", "No", UnsavedFormula("=C3")],
        ["2024/25", "Blank", "Rowtown Council", "Pooled", None, None, None, None],
        ["2024/25", "N/A", "Rowtown Council", "Pooled", "12", "Not applicable", "No", ""],
        ["2024/25", "Short row", "Rowtown Council", "Pooled"],
        ["2024/25", "Note twice", "Rowtown Council", "Pooled", "£5 to be agreed", "", "No", "another note"],
        ["2024/25", "Home care", "Rowtown Council", "Pooled", "1000.50", "", "No", ""],  # the first line again
        ["2024/25", "Digits", "Rowtown Council", "Pooled", "١٢", "", "No", ""],  # not ASCII digits
        ["2024/25", "Big", "Rowtown Council", "Pooled", "999999999999.99", "", "0", ""],
        ["2024/25", "Bigger", "Rowtown Council", "Pooled", "9999999999999", "", "1", ""],
    ]
    rows = [(1, tuple(ROW_HEADINGS))] + [(number, tuple(values)) for number, values in enumerate(variants, start=2)]
    (fast, fast_errors), (full, full_errors) = _parsed_both_ways(schedule, rows, monkeypatch)
    assert fast == full and fast_errors == full_errors
    assert len(fast) > 8 and len(fast_errors) > 10  # both kinds of row were really read
    assert any(error.row == 7 and error.column == "Financial year" and error.value == "2024/26"
               for error in fast_errors)  # a year refused, though the right one was read before it
    assert any(error.row == 13 and error.value == "Nobody" for error in fast_errors)
    assert outsider.name in " ".join(error.message for error in fast_errors)


def test_records_turned_the_short_way_give_the_field_by_field_rows_and_errors(monkeypatch):
    council, ccg = make_council(), make_ccg()
    names = {council.pk: council.name, ccg.pk: ccg.name}
    base = {"service": "Home care", "partner": council.pk, "financial_year": 2024, "budget_type": "pooled",
            "amount": "10.00"}
    lines = [
        base, {**base, "partner": ccg.name, "financial_year": "2024/25", "notes": "n"},
        {**base, "partner": 999_999}, {**base, "partner": True}, {**base, "financial_year": True},
        {**base, "financial_year": 2024.0}, {**base, "service": 12}, {**base, "status": 3, "notes": 4},
        {**base, "ring_fenced_public_health": False}, {**base, "notes": None}, {**base, "partner": 2.5},
        {**base, "amount": Decimal("1.5")}, {**base, "unknown": 1}, [1, 2], {**base, "service": ""},
    ]
    fast = rows_from_records(lines, names)
    with monkeypatch.context() as patch:
        patch.setattr(records, "_plain_values", lambda *args: None)
        full = rows_from_records(lines, names)
    assert fast == full
    rows, absent, errors = fast
    assert rows[1] == (1, ["2024/25", "Home care", council.name, "pooled", "10.00", None, None, None])
    assert absent[1] == {"ring_fenced_public_health", "notes"} and absent[2] == {"ring_fenced_public_health"}
    assert {error.row for error in errors} >= {3, 4, 7, 8, 11, 13, 14, 15}
