"""The import's fast path gives what the slower, general code would: rows read, history, snapshot."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from agreements.models import BudgetLine
from agreements.snapshots import schedule_snapshot_by_id
from budgets.importing import budget_lines_import, xlsx_cells
from budgets.importing.writing import schedule_snapshot_with_lines, stored_lines
from budgets.importing.xlsx_cells import UnsavedFormula, openpyxl_values, xlsx_values
from documents.revisions import latest_revision
from tests.budgets.helpers import csv_bytes

HARINGEY = "haringey-schedule-6-aligned-budgets.xlsx"


def _rows(content: bytes, read) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        return [(number, tuple(values)) for number, values in read(sheet)]
    finally:
        book.close()


def _both_ways(content: bytes) -> tuple[list, list]:
    """(openpyxl's own rows, the fast path's rows); blank rows as () either way."""
    return (_rows(content, lambda sheet: enumerate(sheet.iter_rows(values_only=True), start=1)),
            _rows(content, lambda sheet: xlsx_values(sheet, content)))


def _awkward_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Financial year", "Service", "Partner", "Amount (£)", "Ring-fenced public health"])
    sheet.append(["2018/19", "Health visiting", "LBH", 4388588, True])
    sheet.append([None, None, None, None, None])
    sheet["A5"] = "2019/20"  # a gap in the rows and in the columns
    sheet["D5"] = 12.5
    sheet["B6"] = CellRichText(["Family ", TextBlock(InlineFont(b=True), "nurse"), " partnership"])
    sheet["C6"] = "  spaced  "
    sheet["D6"] = datetime.datetime(2018, 4, 1)
    sheet["E6"] = "=1+1"
    sheet["A7"] = ""
    sheet["F8"] = "far right"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", [HARINGEY, "budget-lines-three-years.xlsx"])
def test_fast_xlsx_rows_equal_openpyxl_rows_for_the_shared_files(shared_budgets, name):
    general, fast = _both_ways((shared_budgets / name).read_bytes())
    assert fast == general


def test_fast_xlsx_rows_equal_openpyxl_rows_for_rich_text_gaps_dates_and_formulas():
    content = _awkward_workbook()
    general, fast = _both_ways(content)
    # openpyxl reads the uncalculated =1+1 in E6 as None; both of our paths say what it is.
    assert general[5][1][4] is None
    assert fast[5][1][4] == UnsavedFormula("=1+1")
    assert _rows(content, lambda sheet: openpyxl_values(sheet, content)) == fast
    general[5] = (6, (*general[5][1][:4], UnsavedFormula("=1+1"), *general[5][1][5:]))
    assert fast == general
    assert fast[5][1][1] == "Family nurse partnership"


def _assert_snapshot_is_the_shared_one(schedule):
    expected = schedule_snapshot_by_id(schedule.pk)
    built = schedule_snapshot_with_lines(schedule.pk, stored_lines(schedule.pk))
    assert built == expected
    assert json.dumps(built) == json.dumps(expected)  # same keys in the same order, too
    assert latest_revision(schedule).snapshot == expected


def test_snapshot_built_from_written_rows_equals_schedule_snapshot(schedule, partners, finance_user, shared_budgets):
    council, _ccg, outsider = partners
    # A line added by hand, for a partner that is not a party: its partner must still be in the snapshot.
    BudgetLine.objects.create(schedule=schedule, position=7, service="Hand-made", partner=outsider,
                              financial_year=2018, budget_type="aligned", amount=Decimal("1.50"))
    result = budget_lines_import(schedule=schedule, filename=HARINGEY, content=(shared_budgets / HARINGEY).read_bytes(),
                                 financial_year=2018, budget_type="aligned", user=finance_user)
    assert result.created == 18
    assert result.budget_import.revision.snapshot == schedule_snapshot_by_id(schedule.pk)
    _assert_snapshot_is_the_shared_one(schedule)

    first = budget_lines_import(schedule=schedule, filename="a.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,100,,Yes,First", "2019/20,School nursing,LBH,Pooled,0.1,,No,"))
    assert first.created == 2
    changed = budget_lines_import(schedule=schedule, filename="b.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,150,,Yes,Changed", "2019/20,School nursing,LBH,Pooled,0.1,,No,",
        "2019/20,New service,NHS Haringey CCG,Aligned,,To be agreed,No,Awaiting figures"))
    assert (changed.created, changed.changed, changed.unchanged) == (1, 1, 1)
    assert changed.budget_import.revision.snapshot == schedule_snapshot_by_id(schedule.pk)
    _assert_snapshot_is_the_shared_one(schedule)


def test_history_rows_carry_the_revision_user_reason_and_date(schedule, partners, finance_user):
    first = budget_lines_import(schedule=schedule, filename="a.csv", user=finance_user, reason="Budget setting",
                                content=csv_bytes("2018/19,Health visiting,LBH,Pooled,100,,No,"))
    second = budget_lines_import(schedule=schedule, filename="b.csv", user=finance_user, reason="Month 6",
                                 content=csv_bytes("2018/19,Health visiting,LBH,Pooled,150.25,,Yes,Re-profiled"))
    line = schedule.budget_lines.get()
    for result, kind, reason in ((first, "+", "Budget setting"), (second, "~", "Month 6")):
        revision = result.budget_import.revision
        (row,) = BudgetLine.history.filter(revision=revision)
        assert (row.id, row.history_type, row.history_user_id, row.history_change_reason) == (
            line.pk, kind, finance_user.pk, reason)
        assert row.history_date == revision.created_at
        assert row.schedule_id == schedule.pk and row.partner_id == line.partner_id
    assert (row.amount, row.ring_fenced_public_health, row.notes) == (Decimal("150.25"), True, "Re-profiled")


def test_an_import_larger_than_one_insert_batch_writes_every_line_and_history_row(schedule, partners):
    rows = [f"2018/19,Service {n:05d},{partner},{kind},{n}.{n % 100:02d},,No,"
            for n in range(1, 1301) for partner in ("LBH", "NHS Haringey CCG") for kind in ("Pooled",)]
    result = budget_lines_import(schedule=schedule, filename="big.csv", content=csv_bytes(*rows))
    assert result.created == 2600
    stored = dict(schedule.budget_lines.values_list("id", "amount"))
    history = dict(BudgetLine.history.filter(revision=result.budget_import.revision).values_list("id", "amount"))
    assert len(stored) == 2600 and history == stored
    assert len(result.budget_import.revision.snapshot["budget_lines"]) == 2600
    assert sorted(set(schedule.budget_lines.values_list("position", flat=True))) == list(range(1, 1301))


def test_awkward_text_is_written_exactly(schedule, partners):
    notes = 'Line one\nline two\twith a tab, a back\\slash, \\N, "quotes", £ and ’curly’\r\nend'
    service = "Speech \\ language\ttherapy"
    content = csv_bytes('2018/19,"{}",LBH,Pooled,"£1,234.56",,Yes,"{}"'.format(
        service, notes.replace('"', '""')))
    result = budget_lines_import(schedule=schedule, filename="awkward.csv", content=content)
    assert result.created == 1
    line = schedule.budget_lines.get()
    assert (line.service, line.notes, line.amount, line.ring_fenced_public_health) == (
        service, notes, Decimal("1234.56"), True)
    (row,) = BudgetLine.history.filter(revision=result.budget_import.revision)
    assert (row.service, row.notes, row.amount) == (line.service, line.notes, line.amount)
    again = budget_lines_import(schedule=schedule, filename="awkward.csv", content=content)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)


def test_the_installed_openpyxl_takes_the_fast_path(monkeypatch):
    """xlsx_cells subclasses openpyxl's private parser. An openpyxl that changed it would only make
    imports slower (the fallback reads the same values), so this fails loudly instead: on an
    upgrade, check xlsx_cells against the new parser, then widen the pin in pyproject.toml."""
    def fallback_used(sheet, content):
        raise AssertionError(f"openpyxl {openpyxl.__version__} no longer takes xlsx_cells' fast path")

    monkeypatch.setattr(xlsx_cells, "openpyxl_values", fallback_used)
    content = _awkward_workbook()
    assert _rows(content, lambda sheet: xlsx_cells.xlsx_values(sheet, content))[1] == (
        2, ("2018/19", "Health visiting", "LBH", 4388588, True))
