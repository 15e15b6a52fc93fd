"""The bulk write's fast path (budgets/importing/writing.py) gives what the general code gives.

For a small input: the lines and their historical rows read back exactly as Django's ORM writes
the same values (shared history dates and other repeated values are prepared once per value,
decimals by the backend's own adaptation), and the revision's snapshot is the shared one.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements.models import BudgetLine
from agreements.snapshots import schedule_snapshot_by_id
from budgets.importing import budget_lines_write
from budgets.importing.writing import insert_rows, schedule_snapshot_with_lines, stored_lines
from tests.factories import make_agreement, make_ccg, make_council, make_schedule, make_user

pytestmark = pytest.mark.django_db

HISTORY_COLUMNS = ["id", "schedule_id", "position", "service", "partner_id", "financial_year", "budget_type",
                   "amount", "status", "ring_fenced_public_health", "notes", "history_date", "history_change_reason",
                   "history_type", "history_user_id", "revision_id"]


@pytest.fixture
def setting():
    council, ccg = make_council(), make_ccg()
    user = make_user(partner=council, role="finance officer")
    schedule = make_schedule(agreement=make_agreement(partners=[council, ccg], reference="FAST-1"))
    return schedule, council, ccg, user


def _records(council, ccg, bump: int = 0) -> list[dict]:
    records = []
    for i in range(12):
        record = {"service": f"Service {i // 2}", "partner": (council if i % 2 else ccg).pk, "financial_year": 2023,
                  "budget_type": "pooled" if i % 4 < 2 else "aligned",
                  "amount": f"{1000 + i + (bump if i % 4 == 0 else 0)}.{i:02d}",
                  "ring_fenced_public_health": i % 3 == 0, "notes": "tab\there\nnew line" if i == 5 else ""}
        if i == 7:
            record.update(amount=None, status="to_be_agreed")
        records.append(record)
    return records


def test_history_rows_from_insert_rows_equal_the_orms(setting):
    schedule, council, ccg, user = setting
    line = BudgetLine.objects.create(schedule=schedule, position=1, service="A", partner=council, financial_year=2023,
                                     budget_type="pooled", amount=Decimal("1.50"))
    history = BudgetLine.history.model
    moment = timezone.now()
    columns = [c for c in HISTORY_COLUMNS if c != "revision_id"]
    values = [
        (line.pk, schedule.pk, 1, "A", council.pk, 2023, "pooled", Decimal("12.34"), "confirmed", True, "x", moment,
         "why", "~", user.pk),
        (line.pk, schedule.pk, 2, "A", ccg.pk, 2023, "aligned", None, "to_be_agreed", False, "", moment, "why", "~",
         None),
        (line.pk, schedule.pk, 3, "A", council.pk, 2024, "pooled", Decimal("0.10"), "confirmed", False, "",
         moment - datetime.timedelta(days=400), "", "+", user.pk),
    ]
    history.objects.all().delete()
    insert_rows(history, columns, values)
    fast = list(history.objects.order_by("position").values_list(*columns))
    history.objects.all().delete()
    history.objects.bulk_create([history(**dict(zip(columns, row, strict=True))) for row in values])
    general = list(history.objects.order_by("position").values_list(*columns))
    assert fast == general
    assert fast[0][columns.index("history_date")] == moment == fast[1][columns.index("history_date")]


def test_the_api_fast_path_gives_the_lines_history_and_snapshot_of_the_general_code(setting):
    schedule, council, ccg, user = setting
    first = budget_lines_write(schedule=schedule, records=_records(council, ccg), user=user, reason="Budget setting",
                               expected_edit_count=None)
    second = budget_lines_write(schedule=schedule, records=_records(council, ccg, bump=5), user=user,
                                reason="Month 6", expected_edit_count=None)
    assert (first.created, second.changed, second.unchanged) == (12, 3, 9)
    lines = {(line.service, line.partner_id, line.budget_type): line for line in BudgetLine.objects.filter(schedule=schedule)}
    for record in _records(council, ccg, bump=5):
        line = lines[(record["service"], record["partner"], record["budget_type"])]
        assert (None if line.amount is None else f"{line.amount:.2f}") == record["amount"]
        assert (line.ring_fenced_public_health, line.notes) == (record["ring_fenced_public_health"], record["notes"])
    for written, kind, count in ((first, "+", 12), (second, "~", 3)):
        rows = list(BudgetLine.history.filter(revision=written.revision))
        assert len(rows) == count
        for row in rows:
            assert (row.history_type, row.history_user_id, row.history_change_reason, row.history_date) == (
                kind, user.pk, written.revision.reason, written.revision.created_at)
    # Each changed line's history row holds what the line now holds, field by field.
    for row in BudgetLine.history.filter(revision=second.revision):
        line = BudgetLine.objects.get(pk=row.id)
        for name in ("schedule_id", "position", "service", "partner_id", "financial_year", "budget_type", "amount",
                     "status", "ring_fenced_public_health", "notes"):
            assert getattr(row, name) == getattr(line, name), name
    expected = schedule_snapshot_by_id(schedule.pk)
    assert second.revision.snapshot == expected
    built = schedule_snapshot_with_lines(schedule.pk, stored_lines(schedule.pk))
    assert json.dumps(built) == json.dumps(expected)  # the same keys in the same order, too
