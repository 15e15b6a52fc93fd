"""The agreement-wide import: a file whose "Schedule" column sends each line to its schedule, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import BudgetLine, Schedule
from agreements.models.variation import Variation, VariationDocument
from budgets.importing import ImportRefused
from budgets.importing.agreement import (
    AgreementImportConflict,
    agreement_budget_lines_import,
    build_agreement_preview,
    parse_schedule_number,
)
from budgets.models import BudgetImport
from documents.models import Revision
from tests.budgets.helpers import table_rows, written, xlsx_bytes

REF = "HARINGEY-S75-2017"
URL = reverse("budgets:agreement_import", args=[REF])
HEADER = "Schedule,Financial year,Service,Partner,Budget type,Amount (£),Status,Ring-fenced public health,Notes"


def agreement_csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def agreement(demo):
    from agreements.models import Agreement

    return Agreement.objects.get(reference=REF)


@pytest.fixture
def finance(demo):
    return client_for("haringey-finance")


@pytest.fixture
def finance_officer(demo):
    return get_user_model().objects.get(username="haringey-finance")


TWO_SCHEDULES = agreement_csv("1,2018/19,Agreement-wide service,LBH,Pooled,1000,,No,",
                              "6,2018/19,Health visiting,LBH,Aligned,4400000,,Yes,Uplift",  # was £4,388,588
                              "6,2019/20,Agreement-wide service,NHS Haringey CCG,Aligned,250.50,,No,")


@pytest.mark.parametrize("value, number", [(6, 6), (6.0, 6), ("6", 6), (" Schedule 6 ", 6), ("sch 12", 12)])
def test_schedule_numbers_are_read_as_people_write_them(value, number):
    assert parse_schedule_number(value) == number


@pytest.mark.parametrize("value", ["", None, "six", "6a", "6.5", True])
def test_a_cell_that_is_not_a_schedule_number_is_refused(value):
    from agreements.budget_values import CellError

    with pytest.raises(CellError):
        parse_schedule_number(value)


def test_the_preview_splits_the_file_by_schedule(agreement):
    before = written()
    preview = build_agreement_preview(agreement=agreement, filename="all.csv", content=TWO_SCHEDULES)
    assert preview.errors == []
    assert [one.schedule.number for one in preview.schedules] == [1, 6]
    first, sixth = preview.schedules
    assert [(c.parsed.row, c.parsed.service) for c in first.new] == [(2, "Agreement-wide service")]
    assert [c.parsed.row for c in sixth.changed] == [3] and [c.parsed.row for c in sixth.new] == [4]
    assert (preview.new_count, preview.changed_count) == (2, 1)
    assert written() == before  # a preview writes nothing


@pytest.mark.parametrize("heading", ["Schedule", "schedule number", "Schedule No."])
def test_the_schedule_column_is_found_by_its_heading_wherever_it_is(agreement, heading):
    content = agreement_csv("2018/19,Health visiting,LBH,Aligned,1,,No,,6",
                            header=HEADER.removeprefix("Schedule,") + f",{heading}")
    preview = build_agreement_preview(agreement=agreement, filename="all.csv", content=content)
    assert preview.errors == [] and [one.schedule.number for one in preview.schedules] == [6]
    assert preview.changed_count == 1


def test_a_row_naming_a_schedule_the_agreement_lacks_names_row_column_and_value(agreement):
    preview = build_agreement_preview(agreement=agreement, filename="all.csv", content=agreement_csv(
        "6,2018/19,Health visiting,LBH,Aligned,1,,No,",
        "9,2018/19,Health visiting,LBH,Aligned,1,,No,",
        ",2018/19,Health visiting,LBH,Aligned,1,,No,"))
    messages = [str(error) for error in preview.errors]
    assert messages == [
        f"Row 3, column “Schedule”: Agreement {REF} has no Schedule 9: its schedules are 1, 2, 3, 4, 5 and 6.",
        "Row 4, column “Schedule”: Enter the schedule number, for example 6.",
    ]
    assert (preview.errors[0].row, preview.errors[0].column, preview.errors[0].value) == (3, "Schedule", "9")


def test_a_file_without_the_schedule_column_is_refused_with_a_way_forward(agreement):
    preview = build_agreement_preview(agreement=agreement, filename="one.csv", content=agreement_csv(
        "2018/19,Health visiting,LBH,Aligned,1,,No,", header=HEADER.removeprefix("Schedule,")))
    assert len(preview.errors) == 1
    assert "have no “Schedule” column" in preview.errors[0].message
    assert "import it from that schedule's page" in preview.errors[0].message


def test_row_errors_in_each_schedule_keep_their_file_row_numbers(agreement):
    preview = build_agreement_preview(agreement=agreement, filename="all.csv", content=agreement_csv(
        "1,2018/19,Service A,LBH,Pooled,lots,,No,",
        "6,2018/19,Service B,Nobody at all,Pooled,1,,No,"))
    assert [(error.row, error.column) for error in preview.errors] == [(2, "Amount (£)"), (3, "Partner")]


def test_confirm_writes_one_revision_per_schedule_changed_in_one_go(agreement, finance_officer):
    revisions = Revision.objects.count()
    result = agreement_budget_lines_import(agreement=agreement, filename="all.csv", content=TWO_SCHEDULES,
                                           user=finance_officer, reason="March board")
    assert [record.schedule.number for record in result.records] == [1, 6]
    assert [(r.created_count, r.changed_count) for r in result.records] == [(1, 0), (1, 1)]
    assert Revision.objects.count() == revisions + 2
    assert {r.revision.reason for r in result.records} == {"March board"}
    assert BudgetLine.objects.get(schedule__number=6, schedule__agreement=agreement, service="Health visiting",
                                  financial_year=2018, budget_type="aligned",
                                  partner__short_name="LBH").amount == Decimal("4400000.00")
    assert result.message == "Imported all.csv: Schedule 1: 1 new, 0 changed; Schedule 6: 1 new, 1 changed."


def test_an_error_in_one_schedule_writes_nothing_in_any(agreement):
    before = written()
    with pytest.raises(ImportRefused) as refused:
        agreement_budget_lines_import(agreement=agreement, filename="all.csv", content=agreement_csv(
            "1,2018/19,Good line,LBH,Pooled,1000,,No,",
            "6,2018/19,Bad line,LBH,Pooled,-5,,No,"))
    assert [error.row for error in refused.value.errors] == [3]
    assert written() == before


def test_a_schedule_changed_since_the_preview_refuses_the_whole_import(agreement, finance_officer):
    preview = build_agreement_preview(agreement=agreement, filename="all.csv", content=TWO_SCHEDULES)
    schedule6 = Schedule.objects.get(agreement=agreement, number=6)
    from budgets.importing import budget_lines_import

    budget_lines_import(schedule=schedule6, filename="other.csv", content=agreement_csv(
        "2018/19,Health visiting,LBH,Aligned,1,,No,", header=HEADER.removeprefix("Schedule,")))
    before = written()
    with pytest.raises(AgreementImportConflict):
        agreement_budget_lines_import(agreement=agreement, filename="all.csv", content=TWO_SCHEDULES,
                                      user=finance_officer, expected_fingerprint=preview.fingerprint)
    assert written() == before  # Schedule 1's line was not written either


def test_only_the_schedules_changed_have_their_edit_count_raised(agreement):
    counts = dict(Schedule.objects.filter(agreement=agreement).values_list("number", "edit_count"))
    agreement_budget_lines_import(agreement=agreement, filename="one.csv", content=agreement_csv(
        "2,2018/19,Only schedule two,LBH,Pooled,1,,No,"))
    after = dict(Schedule.objects.filter(agreement=agreement).values_list("number", "edit_count"))
    assert {number for number in counts if after[number] != counts[number]} == {2}


def test_a_schedule_in_an_open_variation_is_an_error(agreement):
    schedule6 = Schedule.objects.get(agreement=agreement, number=6)
    variation = Variation.objects.create(agreement=agreement, number=99, title="SEND age range", summary="Wider.",
                                         effective_date=timezone.localdate())
    VariationDocument.objects.create(variation=variation, content_type=ContentType.objects.get_for_model(Schedule),
                                     object_id=schedule6.pk, label="Schedule 6")
    preview = build_agreement_preview(agreement=agreement, filename="all.csv", content=TWO_SCHEDULES)
    assert [(error.row, error.column, error.value) for error in preview.errors] == [(3, "Schedule", "6")]
    assert "variation 99" in preview.errors[0].message


# ----------------------------------------------------------------------------- the pages


def test_upload_preview_confirm(finance, agreement):
    before = written()
    response = finance.post(URL, {"file": SimpleUploadedFile("all.xlsx", xlsx_bytes([
        HEADER.split(","), [1, "2018/19", "Agreement-wide service", "LBH", "Pooled", 1000, None, "No", None],
        [6, "2018/19", "Health visiting", "LBH", "Aligned", 4400000, None, "Yes", "Uplift"]])), "reason": "Board"})
    assert response.status_code == 302
    page = finance.get(response["Location"]).content.decode()
    assert written() == before
    counts = table_rows(page, "import-counts")
    assert counts[0][0].startswith("Schedule 1:") and counts[0][1:] == ["1", "0", "0"]
    assert counts[1][0].startswith("Schedule 6:") and counts[1][1:] == ["0", "1", "0"]
    assert counts[2] == ["All schedules", "1", "1", "0"]
    assert 'data-testid="schedule-section-1"' in page and 'data-testid="schedule-section-6"' in page
    assert "£4,388,588 → <strong>£4,400,000</strong>" in page
    assert "+£11,412" in page  # Schedule 6's 2018/19 aligned total
    confirmed = finance.post(response["Location"])
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("agreement", args=[REF])
    assert BudgetImport.objects.filter(schedule__agreement=agreement).count() == 2
    assert "Schedule 1: 1 new, 0 changed; Schedule 6: 0 new, 1 changed" in finance.get(confirmed["Location"]).content.decode()
    assert finance.post(response["Location"]).status_code == 404  # the token is used up


def test_a_file_with_errors_shows_them_by_row_and_cannot_be_confirmed(finance):
    before = written()
    response = finance.post(URL, {"file": SimpleUploadedFile("all.csv", agreement_csv(
        "7,2018/19,Health visiting,LBH,Aligned,1,,No,"))})
    page = finance.get(response["Location"]).content.decode()
    assert "govuk-error-summary" in page and f"Row 2, column “Schedule”: Agreement {REF} has no Schedule 7" in page
    assert "Confirm import" not in page
    assert finance.post(response["Location"]).status_code == 200
    assert written() == before


def test_confirm_after_a_schedule_changed_is_refused(finance, agreement):
    response = finance.post(URL, {"file": SimpleUploadedFile("all.csv", TWO_SCHEDULES)})
    finance.get(response["Location"])
    schedule1 = Schedule.objects.get(agreement=agreement, number=1)
    from budgets.importing import budget_lines_import

    budget_lines_import(schedule=schedule1, filename="x.csv", content=agreement_csv(
        "2018/19,Agreement-wide service,LBH,Pooled,5,,No,", header=HEADER.removeprefix("Schedule,")))
    before = written()
    refused = finance.post(response["Location"])
    assert refused.status_code == 409
    assert "someone changed the budget lines of a schedule in this file" in refused.content.decode()
    assert written() == before


def test_the_agreement_page_links_to_the_import_for_those_who_may_edit_budgets(demo):
    page = reverse("agreement", args=[REF])
    for username in ("haringey-finance", "haringey-commissioner"):
        assert URL in client_for(username).get(page).content.decode(), username
    for username in ("haringey-viewer", "haringey-legal"):
        assert URL not in client_for(username).get(page).content.decode(), username


@pytest.mark.parametrize("username, status", [
    ("haringey-finance", 200), ("haringey-commissioner", 200), ("haringey-viewer", 403), ("haringey-legal", 403),
    ("cambridgeshire-commissioner", 404),
])
def test_who_may_import(demo, username, status):
    assert client_for(username).get(URL).status_code == status


def test_a_token_from_a_schedule_import_is_not_an_agreement_import(finance):
    response = finance.post(reverse("budgets:import", args=[REF, 6]), {"file": SimpleUploadedFile(
        "b.csv", agreement_csv("2018/19,Health visiting,LBH,Aligned,1,,No,", header=HEADER.removeprefix("Schedule,")))})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert finance.get(reverse("budgets:agreement_import_preview", args=[REF, token])).status_code == 404


def test_the_agreement_wide_export_layout_imports_back_unchanged(agreement):
    """Every line of every schedule, written as the export writes them with a Schedule column first: nothing to do."""
    from budgets import exporting
    from budgets.spreadsheets import export_sheet, sheet

    lines = list(exporting.agreement_lines(agreement))
    rows = exporting.budget_lines_sheet(lines).rows
    wide = sheet("Budget lines", ["Schedule", *exporting.HEADERS],
                 [[line.schedule.number, *row] for line, row in zip(lines, rows, strict=True)], money=["Amount (£)"])
    for file_format in ("xlsx", "csv"):
        preview = build_agreement_preview(agreement=agreement, filename=f"all.{file_format}",
                                          content=export_sheet(wide, file_format))
        assert preview.errors == [], file_format
        assert not preview.has_changes and preview.unchanged_count == len(lines) > 20, file_format
        assert {one.schedule.number for one in preview.schedules} == {line.schedule.number for line in lines}
    before = written()
    result = agreement_budget_lines_import(agreement=agreement, filename="all.xlsx", content=export_sheet(wide, "xlsx"))
    assert result.records == [] and result.message.startswith("Nothing was changed")
    assert written() == before


def test_an_agreement_wide_file_brought_to_one_schedule_refuses_the_other_schedules_lines(agreement):
    from budgets.importing import build_preview

    schedule = Schedule.objects.get(agreement=agreement, number=6)
    content = agreement_csv("6,2018/19,Health visiting,LBH,Aligned,4388588,,Yes,",
                            "1,2018/19,Agreement-wide service,LBH,Pooled,1000,,No,")
    preview = build_preview(schedule=schedule, filename="agreement.csv", content=content)
    assert [(error.row, error.column, error.value) for error in preview.errors] == [(3, "Schedule", "1")]
    assert "This line is for Schedule 1, and this import is for Schedule 6" in preview.errors[0].message
    only_six = build_preview(schedule=schedule, filename="six.csv",
                             content=agreement_csv("6,2018/19,Health visiting,LBH,Aligned,4388588,,Yes,"))
    assert not only_six.errors
