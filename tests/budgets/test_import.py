"""Importing the shared files and files Excel writes; history; re-import; conflicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements.models import BudgetLine, BudgetStatus, BudgetType, Schedule
from agreements.services.schedules import schedule_update
from budgets.importing import ImportConflict, budget_lines_import, build_preview
from budgets.models import BudgetImport
from budgets.reports import budget_totals, schedule_lines
from documents.models import Revision, RevisionKind
from documents.revisions import revisions_of
from documents.services import EditConflict
from tests.budgets.helpers import HEADER, csv_bytes, written, xlsx_bytes

HARINGEY = "haringey-schedule-6-aligned-budgets.xlsx"

# Schedule 6's aligned budgets table, as the Haringey Cabinet Member report prints it.
SEED = {
    ("Health visiting", "LBH"): ("4388588.00", "confirmed", ""),
    ("Health visiting", "CCG"): (None, "not_applicable", ""),
    ("Family nurse partnership", "LBH"): ("443441.00", "confirmed", ""),
    ("Family nurse partnership", "CCG"): (None, "not_applicable", ""),
    ("School nursing", "LBH"): ("644000.00", "confirmed", ""),
    ("School nursing", "CCG"): (None, "not_applicable", ""),
    ("Oral health promotion", "LBH"): ("77000.00", "confirmed", ""),
    ("Oral health promotion", "CCG"): (None, "not_applicable", ""),
    ("Community paediatrics", "LBH"): (None, "not_applicable", ""),
    ("Community paediatrics", "CCG"): (None, "within_block", "Part of the provider block contract, subject to the "
                                       "community services financial work between the CCGs and the Trust."),
    ("Children's community nursing", "LBH"): (None, "not_applicable", ""),
    ("Children's community nursing", "CCG"): (None, "within_block",
                                              "Provided by local hospital and part of a block arrangement."),
    ("Speech and language services (early years and schools)", "LBH"): (
        None, "to_be_agreed",
        "Final amount to be agreed following the service review of specialist therapies taking place during 17/18"),
    ("Speech and language services (early years and schools)", "CCG"): (
        None, "within_block",
        "Part of the provider block contract. The total service amount is made up of NHS and LBH contributions and "
        "is subject to the community services financial work being undertaken between the CCG and the Trust."),
    ("Occupational and physiotherapy", "LBH"): (
        "840000.00", "to_be_agreed", "Final amounts to be agreed as part of the Specialist Therapies Review"),
    ("Occupational and physiotherapy", "CCG"): (
        None, "within_block", "Part of provider block contract, subject to the community services financial work "
                              "between the CCGs and the Trust."),
    ("Children in Care and Adoption Health Assessment Services", "LBH"): ("54696.00", "confirmed", ""),
    ("Children in Care and Adoption Health Assessment Services", "CCG"): (
        None, "within_block", "Part of the provider block contract, subject to the community services financial work "
                              "between the CCGs and the Trust."),
}


def _import_haringey(schedule, shared_budgets, **kwargs):
    return budget_lines_import(
        schedule=schedule, filename=HARINGEY, content=(shared_budgets / HARINGEY).read_bytes(),
        financial_year=2018, budget_type=BudgetType.ALIGNED, **kwargs,
    )


def test_haringey_table_imports_as_the_seed(schedule, shared_budgets, partners, finance_user):
    council, ccg, _ = partners
    result = _import_haringey(schedule, shared_budgets, user=finance_user)
    assert (result.created, result.changed, result.unchanged) == (18, 0, 0)
    stored = {
        (line.service, "LBH" if line.partner_id == council.pk else "CCG"):
            (None if line.amount is None else str(line.amount), line.status, line.notes)
        for line in BudgetLine.objects.filter(schedule=schedule)
    }
    assert stored == SEED
    assert all(line.financial_year == 2018 and line.budget_type == "aligned" for line in schedule.budget_lines.all())
    # Services keep the table's order.
    services = list(schedule.budget_lines.filter(partner=council).order_by("position").values_list("service", flat=True))
    assert services[0] == "Health visiting" and services[-1].startswith("Children in Care")

    lbh = next(row for row in budget_totals(schedule_lines(schedule)) if row.partner == "Haringey Council")
    assert lbh.stated_total == Decimal("6447725.00")
    assert lbh.to_be_agreed == Decimal("840000.00")
    assert lbh.aligned == Decimal("5607725.00") and lbh.pooled == 0


def test_import_is_one_revision_with_history_for_every_line(schedule, shared_budgets, finance_user):
    before = revisions_of(schedule).count()
    result = _import_haringey(schedule, shared_budgets, user=finance_user)
    revisions = revisions_of(schedule)
    assert revisions.count() == before + 1
    revision = revisions.first()
    assert revision.kind == RevisionKind.IMPORTED
    assert revision.user == finance_user
    assert revision.summary == f"Imported {HARINGEY}: 0 changed, 18 new"
    assert len(revision.snapshot["budget_lines"]) == 18
    history = BudgetLine.history.filter(revision_id=revision.pk)
    assert history.count() == 18
    assert set(history.values_list("id", flat=True)) == set(schedule.budget_lines.values_list("id", flat=True))
    assert set(history.values_list("history_type", flat=True)) == {"+"}
    assert set(history.values_list("history_user", flat=True)) == {finance_user.pk}

    record = result.budget_import
    assert record.revision == revision and record.imported_by == finance_user
    assert (record.created_count, record.changed_count, record.unchanged_count) == (18, 0, 0)
    assert len(record.checksum) == 64
    assert record.file.read() == (shared_budgets / HARINGEY).read_bytes()


def test_changed_lines_get_history_rows_only_for_what_changed(schedule, partners):
    budget_lines_import(schedule=schedule, filename="a.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,100,,No,", "2018/19,School nursing,LBH,Pooled,200,,No,"))
    result = budget_lines_import(schedule=schedule, filename="b.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,150,,No,", "2018/19,School nursing,LBH,Pooled,200,,No,"))
    assert (result.created, result.changed, result.unchanged) == (0, 1, 1)
    history = BudgetLine.history.filter(revision=result.budget_import.revision)
    assert [(row.service, row.amount, row.history_type) for row in history] == [
        ("Health visiting", Decimal("150.00"), "~")]
    assert result.preview.changed[0].changes == [("Amount (£)", "£100", "£150")]


@pytest.mark.parametrize("name", ["budget-lines-three-years.xlsx", "budget-lines-three-years.csv"])
def test_180_line_file(schedule, shared_budgets, name):
    result = budget_lines_import(schedule=schedule, filename=name, content=(shared_budgets / name).read_bytes())
    assert result.created == 180
    assert schedule.budget_lines.count() == 180
    assert set(schedule.budget_lines.values_list("financial_year", flat=True)) == {2017, 2018, 2019}
    assert schedule.budget_lines.filter(ring_fenced_public_health=True).exists()
    assert schedule.budget_lines.filter(status=BudgetStatus.TO_BE_AGREED).exists()
    assert set(schedule.budget_lines.values_list("budget_type", flat=True)) == {"pooled", "aligned"}


def test_xlsx_and_csv_say_the_same(schedule, shared_budgets):
    budget_lines_import(schedule=schedule, filename="x.xlsx",
                        content=(shared_budgets / "budget-lines-three-years.xlsx").read_bytes())
    preview = build_preview(schedule=schedule, filename="x.csv",
                            content=(shared_budgets / "budget-lines-three-years.csv").read_bytes())
    assert (len(preview.new), len(preview.changed), preview.unchanged_count) == (0, 0, 180)


def test_reimporting_the_same_file_changes_nothing_and_says_so(schedule, shared_budgets, finance_user):
    _import_haringey(schedule, shared_budgets, user=finance_user)
    counts = written()
    edit_count = Schedule.objects.get(pk=schedule.pk).edit_count
    again = _import_haringey(schedule, shared_budgets, user=finance_user)
    assert again.budget_import is None
    assert (again.created, again.changed, again.unchanged) == (0, 0, 18)
    assert "Nothing was changed" in again.message and "This same file was imported by Fiona Finance" in again.message
    assert written() == counts
    assert Schedule.objects.get(pk=schedule.pk).edit_count == edit_count


def test_windows_1252_csv_from_excel(schedule):
    content = csv_bytes("2018/19,Health visiting,Haringey Council,Pooled,\"£4,388,588\",Confirmed,No,Café £ note",
                        encoding="cp1252")
    assert b"\xa3" in content
    preview = build_preview(schedule=schedule, filename="excel.csv", content=content)
    assert preview.ok, preview.errors
    assert preview.encoding == "Windows-1252"
    result = budget_lines_import(schedule=schedule, filename="excel.csv", content=content)
    line = schedule.budget_lines.get()
    assert result.created == 1 and line.amount == Decimal("4388588.00") and line.notes == "Café £ note"


def test_utf8_with_bom_and_headers_in_any_order_and_case(schedule):
    content = "\ufeff".encode() + csv_bytes(
        'Pooled,"£ 443,441.00",LBH,Health visiting,2018-19',
        header="BUDGET TYPE, amount ,partner,service,Financial  Year")
    preview = build_preview(schedule=schedule, filename="bom.csv", content=content)
    assert preview.ok, [str(e) for e in preview.errors]
    assert preview.encoding == "UTF-8 with BOM"
    budget_lines_import(schedule=schedule, filename="bom.csv", content=content)
    line = schedule.budget_lines.get()
    assert (line.financial_year, line.amount, line.status) == (2018, Decimal("443441.00"), "confirmed")


def test_confirm_is_refused_when_lines_changed_since_the_preview(schedule):
    budget_lines_import(schedule=schedule, filename="a.csv", content=csv_bytes("2018/19,Health visiting,LBH,Pooled,100,,,"))
    content = csv_bytes("2018/19,Health visiting,LBH,Pooled,300,,,")
    preview = build_preview(schedule=schedule, filename="b.csv", content=content)
    budget_lines_import(schedule=schedule, filename="c.csv", content=csv_bytes("2018/19,Health visiting,LBH,Pooled,200,,,"))
    counts = written()
    with pytest.raises(ImportConflict):
        budget_lines_import(schedule=schedule, filename="b.csv", content=content,
                            expected_fingerprint=preview.fingerprint)
    assert written() == counts
    assert schedule.budget_lines.get().amount == Decimal("200.00")


def test_import_refuses_an_edit_form_opened_before_it(schedule, shared_budgets):
    opened_at = Schedule.objects.get(pk=schedule.pk).edit_count
    _import_haringey(schedule, shared_budgets)
    with pytest.raises(EditConflict):
        schedule_update(schedule=schedule, document={"fields": {"title": "Renamed"}},
                        expected_edit_count=opened_at, reason="Edit")
    assert Revision.objects.filter(reason="Edit").count() == 0


def test_lines_not_in_the_file_are_left_alone(schedule, shared_budgets):
    _import_haringey(schedule, shared_budgets)
    budget_lines_import(schedule=schedule, filename="one.csv",
                        content=csv_bytes("2018/19,Health visiting,LBH,Aligned,1,,,"))
    assert schedule.budget_lines.count() == 18
    assert BudgetImport.objects.count() == 2


# Status words written in the Amount cell, as finance officers write them, with and without a Status column.
STATUS_WORD_ROWS = [
    ["2018/19", "Health visiting", "LBH", "Pooled", "To be agreed", "", "No", ""],
    ["2018/19", "School nursing", "LBH", "Pooled", "Not applicable", "", "No", ""],
    ["2018/19", "Oral health promotion", "LBH", "Pooled", "N/A", "", "No", ""],
    ["2018/19", "Community paediatrics", "NHS Haringey CCG", "Pooled", "Within block contract", "", "No",
     "Part of the provider block"],
    ["2018/19", "Occupational therapy", "LBH", "Pooled", "£840,000 Final amounts to be agreed after the review", "",
     "No", ""],
    ["2018/19", "Family nurse partnership", "LBH", "Pooled", "To be agreed", "To be agreed", "No", "Awaiting"],
    ["2018/19", "Physiotherapy", "LBH", "Pooled", "1200", "To be agreed", "No", ""],  # a number: Status wins
    ["2018/19", "Speech and language", "LBH", "Pooled", "", "Within block contract", "No", ""],  # blank: Status wins
]
STATUS_WORD_LINES = {
    "Health visiting": (None, BudgetStatus.TO_BE_AGREED, ""),
    "School nursing": (None, BudgetStatus.NOT_APPLICABLE, ""),
    "Oral health promotion": (None, BudgetStatus.NOT_APPLICABLE, ""),
    "Community paediatrics": (None, BudgetStatus.WITHIN_BLOCK, "Part of the provider block"),
    "Occupational therapy": (Decimal("840000.00"), BudgetStatus.TO_BE_AGREED,
                             "Final amounts to be agreed after the review"),
    "Family nurse partnership": (None, BudgetStatus.TO_BE_AGREED, "Awaiting"),
    "Physiotherapy": (Decimal("1200.00"), BudgetStatus.TO_BE_AGREED, ""),
    "Speech and language": (None, BudgetStatus.WITHIN_BLOCK, ""),
}


def status_word_file(kind: str) -> bytes:
    if kind == "xlsx":
        return xlsx_bytes([HEADER.split(","), *STATUS_WORD_ROWS])
    return csv_bytes(*(",".join(f'"{value}"' if "," in value else value for value in row)
                       for row in STATUS_WORD_ROWS))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_status_words_in_the_amount_column_are_the_lines_status(schedule, partners, kind):
    result = budget_lines_import(schedule=schedule, filename=f"words.{kind}", content=status_word_file(kind))
    assert result.created == len(STATUS_WORD_ROWS)
    stored = {line.service: (line.amount, line.status, line.notes) for line in schedule.budget_lines.all()}
    assert stored == STATUS_WORD_LINES


def test_a_status_word_in_amount_keeps_the_stored_notes_when_there_is_no_notes_column(schedule, partners):
    header = "Financial year,Service,Partner,Budget type,Amount (£)"
    budget_lines_import(schedule=schedule, filename="a.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,100,,No,Kept"))
    result = budget_lines_import(schedule=schedule, filename="b.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,TBC", header=header))
    assert result.preview.changed[0].changes == [("Amount (£)", "£100", "(blank)"),
                                                 ("Status", "Confirmed", "To be agreed")]
    line = schedule.budget_lines.get()
    assert (line.amount, line.status, line.notes) == (None, BudgetStatus.TO_BE_AGREED, "Kept")


def test_a_blank_amount_clears_the_stored_amount_as_the_preview_says(schedule, partners):
    budget_lines_import(schedule=schedule, filename="a.csv", content=csv_bytes("2018/19,Health visiting,LBH,Pooled,100,,No,"))
    result = budget_lines_import(schedule=schedule, filename="b.csv", content=csv_bytes(
        "2018/19,Health visiting,LBH,Pooled,,To be agreed,No,"))
    assert result.preview.changed[0].changes[0] == ("Amount (£)", "£100", "(blank)")
    line = schedule.budget_lines.get()
    assert (line.amount, line.status) == (None, BudgetStatus.TO_BE_AGREED)
    (row,) = BudgetLine.history.filter(revision=result.budget_import.revision)
    assert row.amount is None
