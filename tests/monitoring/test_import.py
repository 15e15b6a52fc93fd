"""Importing a return: the shared example files, the preview, refusals naming row, column and value."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from budgets.monitoring.importing import (
    ReturnImportConflict,
    ReturnImportRefused,
    build_return_preview,
    return_import,
)
from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from budgets.monitoring.services import return_save
from documents.models import Revision

pytestmark = pytest.mark.django_db
HEADER = "Financial year,Period,Service,Partner,Budget type,Actual to date (£),Forecast outturn (£),Notes\n"
EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "monitoring"


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def _written():
    return Revision.objects.count(), MonitoringEntry.history.count(), MonitoringReturn.objects.count()


def test_preview_then_import_as_one_revision(schedule, lines):
    content = _csv("2018/19,P6,Health visiting,LBH,Aligned,2251200.40,4512000,Agency",
                   "2018/19,P6,school nursing,Haringey Council,aligned,330150.25,300000,")
    preview = build_return_preview(schedule=schedule, filename="p6.csv", content=content)
    assert not preview.errors and preview.label == "2018/19 P6" and len(preview.new) == 2
    assert [w.row for w in preview.warnings] == [3]  # forecast below actual: a warning only
    before = Revision.objects.count()
    _preview, saved = return_import(schedule=schedule, filename="p6.csv", content=content,
                                    expected_fingerprint=preview.fingerprint)
    assert saved.entries.count() == 2 and Revision.objects.count() == before + 1
    again = build_return_preview(schedule=schedule, filename="p6.csv", content=content)
    assert again.unchanged_count == 2 and not again.has_changes


def test_the_return_changed_since_the_preview(schedule, lines):
    content = _csv("2018/19,P6,Health visiting,LBH,Aligned,1,2,")
    preview = build_return_preview(schedule=schedule, filename="p6.csv", content=content)
    return_save(schedule=schedule, financial_year=2018, period=6, reason="Someone else",
                values={lines["School nursing"].pk: {"actual_to_date": 5, "forecast_outturn": 6, "notes": ""}})
    before = _written()
    with pytest.raises(ReturnImportConflict):
        return_import(schedule=schedule, filename="p6.csv", content=content, expected_fingerprint=preview.fingerprint)
    assert _written() == before


@pytest.mark.parametrize(("row", "column", "words"), [
    ("2018/19,P13,Health visiting,LBH,Aligned,1,2,", "Period", "“P13” is not a period"),
    ("2018/19,P6,Health visitng,LBH,Aligned,1,2,", "Service", "The closest lines are “Health visiting”"),
    ("2018/19,P6,Health visiting,LBH,Aligned,-100,2,", "Actual to date (£)", "credit"),
    ("2018/19,P6,Health visiting,LBH,Aligned,lots,2,", "Actual to date (£)", "“lots” is not an amount"),
    ("2018/19,P6,Health visiting,LBH,Aligned,1,-2,", "Forecast outturn (£)", "cannot be negative"),
    ("2027/28,P6,Health visiting,LBH,Aligned,1,2,", "Period", "2027/28 has not begun"),
])
def test_refusals_name_row_column_and_value_and_write_nothing(schedule, lines, row, column, words):
    before = _written()
    with pytest.raises(ReturnImportRefused) as refused:
        return_import(schedule=schedule, filename="bad.csv", content=_csv(row))
    error = refused.value.preview.errors[0]
    assert error.column == column and words in str(error), str(error)
    assert _written() == before


def test_two_rows_for_one_line(schedule, lines):
    with pytest.raises(ReturnImportRefused) as refused:
        return_import(schedule=schedule, filename="bad.csv", content=_csv(
            "2018/19,P6,Health visiting,LBH,Aligned,1,2,", "2018/19,P6,Health Visiting,LBH,Aligned,1,2,"))
    assert "same budget line as row 2" in str(refused.value.preview.errors[0])


def test_a_credit_with_a_note_is_allowed(schedule, lines):
    _preview, saved = return_import(schedule=schedule, filename="ok.csv",
                                    content=_csv("2018/19,P6,Health visiting,LBH,Aligned,-100,2,Refund from provider"))
    assert str(saved.entries.get().actual_to_date) == "-100.00"


def test_the_command_reads_the_example_xlsx_dry_run(schedule, lines, capsys):
    with pytest.raises(CommandError, match="error"):  # the test schedule lacks most of the example's lines
        call_command("import_monitoring", str(EXAMPLES / "haringey-schedule-6-2018-19-P6.xlsx"),
                     "--agreement", "HAR-S75-2017", "--schedule", "6", "--dry-run")
    assert "Row 5, column “Service”" in capsys.readouterr().err
    assert not MonitoringReturn.objects.exists()
