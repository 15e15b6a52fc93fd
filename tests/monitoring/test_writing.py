"""The fast path for a return's entries (`budgets.monitoring.writing`) against the kernel's row-by-row
`sync_children`: the same stored entries, revision snapshot and history, and the same refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agreements.services.schedules import schedule_create
from budgets.importing import budget_lines_import
from budgets.monitoring.importing import return_import
from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from budgets.monitoring.services import return_save
from budgets.monitoring.snapshots import return_snapshot
from documents.revisions import revisions_of

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)
LINES = (b"Financial year,Service,Partner,Budget type,Amount,Status,Ring-fenced public health\n"
         b"2018/19,Health visiting,LBH,Aligned,4388588,,No\n"
         b"2018/19,School nursing,LBH,Aligned,661500,,Yes\n"
         b"2018/19,Oral health promotion,LBH,Aligned,70000,,No\n"
         b"2018/19,Continuing care,Haringey CCG,Aligned,1000000,,No\n"
         b"2018/19,Speech therapy,Haringey CCG,Aligned,,To be agreed\n")
HEAD = "Financial year,Period,Service,Partner,Budget type,Actual to date (£),Forecast outturn (£),Notes\n"
FIRST = (HEAD + "2018/19,P6,Health visiting,LBH,Aligned,2251200.40,4512000,Agency staff\n"
         "2018/19,P6,School nursing,LBH,Aligned,330150.25,661500,\n"
         "2018/19,P6,Continuing care,Haringey CCG,Aligned,-400,990000,Refund from a provider\n").encode()
SECOND = (HEAD + "2018/19,P6,Health visiting,LBH,Aligned,2251200.40,4600000,Agency staff and sickness\n"
          "2018/19,P6,Oral health promotion,LBH,Aligned,31000,70800,\n"
          "2018/19,P6,School nursing,LBH,Aligned,330150.25,661500,\n").encode()


@pytest.fixture
def twins(agreement):
    made = []
    for number in (6, 7):
        schedule = schedule_create(agreement=agreement, reason="Set up", document={"fields": {
            "number": number, "title": f"Schedule {number}", "service_name": "Services", "aligned_budgets": True}})
        budget_lines_import(schedule=schedule, filename="lines.csv", content=LINES, reason="Budgets")
        made.append(schedule)
    return made


def _by_service(schedule, fast: bool) -> MonitoringReturn:
    """Import FIRST then SECOND (new entries, then changed and added ones) through one path."""
    from unittest import mock

    from budgets.monitoring import importing

    real = importing.return_save
    with mock.patch.object(importing, "return_save", lambda **kw: real(**kw, fast=fast)):
        for content in (FIRST, SECOND):
            return_import(schedule=schedule, filename="p6.csv", content=content, reason="Imported p6.csv")
    return MonitoringReturn.objects.get(schedule=schedule, financial_year=2018, period=6)


def _comparable(snapshot: dict, line_names: dict[int, str]) -> dict:
    """A snapshot with the ids that must differ between two schedules replaced by what they stand for."""
    entries = [{**e, "id": None, "budget_line_id": line_names[e["budget_line_id"]]} for e in snapshot["entries"]]
    return {**snapshot, "id": None, "schedule": None, "entries": entries}


def test_the_fast_path_stores_the_same_entries_revisions_and_history(twins):
    slow_schedule, fast_schedule = twins
    slow, fast = _by_service(slow_schedule, fast=False), _by_service(fast_schedule, fast=True)
    names = {line.pk: line.service for s in twins for line in s.budget_lines.all()}
    entry_fields = ("budget_line__service", "position", "actual_to_date", "forecast_outturn", "notes")
    assert (list(MonitoringEntry.objects.filter(monitoring_return=fast).order_by("position").values_list(*entry_fields))
            == list(MonitoringEntry.objects.filter(monitoring_return=slow).order_by("position").values_list(*entry_fields)))
    slow_revisions, fast_revisions = list(revisions_of(slow).order_by("id")), list(revisions_of(fast).order_by("id"))
    assert [(r.kind, r.reason) for r in fast_revisions] == [(r.kind, r.reason) for r in slow_revisions]
    assert len(fast_revisions) == 2
    for a, b in zip(slow_revisions, fast_revisions, strict=True):
        assert _comparable(b.snapshot, names) == _comparable(a.snapshot, names)
    assert fast_revisions[-1].snapshot == return_snapshot(fast)

    def history(monitoring_return, revisions):
        index = {r.pk: n for n, r in enumerate(revisions)}
        rows = MonitoringEntry.history.filter(monitoring_return_id=monitoring_return.pk).order_by("history_id")
        return [(index[h.revision_id], h.history_type, names[h.budget_line_id], h.position, h.actual_to_date,
                 h.forecast_outturn, h.notes, h.history_change_reason, h.history_user_id,
                 h.history_date == revisions[index[h.revision_id]].created_at,
                 h.id == MonitoringEntry.objects.filter(monitoring_return=monitoring_return,
                                                        budget_line_id=h.budget_line_id).get().pk)
                for h in rows]

    slow_history, fast_history = history(slow, slow_revisions), history(fast, fast_revisions)
    assert fast_history == slow_history
    # First import: three new entries; second: Health visiting changed and Oral health promotion added (an
    # entry whose position moves with it is changed too, on both paths).
    assert [(n, kind) for n, kind, *_rest in fast_history].count((0, "+")) == 3
    assert all(row[-2] and row[-1] for row in fast_history)


@pytest.mark.parametrize(("values", "message"), [
    ({"actual_to_date": "-5", "forecast_outturn": "10", "notes": ""}, "An actual to date below £0"),
    ({"actual_to_date": "5", "forecast_outturn": "-10", "notes": ""}, "A forecast outturn cannot be negative."),
    ({"actual_to_date": "1.234", "forecast_outturn": "10", "notes": ""}, "decimal places"),
    ({"actual_to_date": "123456789012345", "forecast_outturn": "10", "notes": ""}, "digits"),
    ({"actual_to_date": "ten", "forecast_outturn": "10", "notes": ""}, "must be a decimal number"),
])
def test_the_fast_path_refuses_what_the_row_path_refuses_in_the_same_words(twins, values, message):
    schedule = twins[0]
    line = schedule.budget_lines.get(service="School nursing")
    said = []
    for fast in (False, True):
        with pytest.raises(ValidationError) as error:
            return_save(schedule=schedule, financial_year=2018, period=6, reason="x", today=TODAY, fast=fast,
                        values={line.pk: values})
        said.append(error.value.messages)
    assert said[0] == said[1]
    assert message in " ".join(said[1]) and said[1][0].startswith("Budget line 1:")
    assert not MonitoringReturn.objects.filter(schedule=schedule).exists()


def test_a_line_left_out_is_removed_with_its_history_on_both_paths(twins):
    results = []
    for schedule, fast in zip(twins, (False, True), strict=True):
        ids = list(schedule.budget_lines.filter(amount__isnull=False).values_list("pk", flat=True))
        figures = {pk: {"actual_to_date": "1", "forecast_outturn": "2", "notes": ""} for pk in ids}
        saved = return_save(schedule=schedule, financial_year=2018, period=6, reason="All", today=TODAY,
                            fast=fast, values=figures)
        return_save(schedule=schedule, financial_year=2018, period=6, reason="Fewer", today=TODAY, fast=fast,
                    values={pk: figures[pk] for pk in ids[1:]})
        results.append((saved.entries.count(),
                        list(MonitoringEntry.history.filter(monitoring_return_id=saved.pk)
                             .order_by("history_id").values_list("history_type", "position", "history_change_reason"))))
    assert results[0] == results[1]
    assert results[1][0] == 3 and ("-", 1, "Fewer") in results[1][1]
