"""Every page's SQL query count stays the same with ten times the data behind it (issue 9).

Each test builds the same page twice through the services, at 1× and at 10× the data (agreements,
schedules, budget lines, list items, history entries, import lines), and asserts the two
requests made exactly the same number of queries. Speed itself is measured by bench/pages.py.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.services.schedules import schedule_update
from tests.factories import make_agreement, make_ccg, make_council, make_schedule, make_user

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    """The queries of one GET of `url`, after a first GET has warmed caches (content types, session)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def document(size: int, council, ccg) -> dict:
    """A schedule document with `size` budget lines, outcomes, aims, KPIs, risks and paragraphs."""
    statuses = ["confirmed", "to_be_agreed", "not_applicable", "within_block"]
    return {
        "fields": {"services": f"Services for {size}", "resources": "Staff\n\nMoney"},
        "aims": [{"text": f"Aim {i}"} for i in range(size)],
        "outcomes": [{"text": f"Outcome {i}"} for i in range(size)],
        "strategy_documents": [{"text": f"Strategy {i}"} for i in range(size)],
        "kpis": [{"text": f"KPI {i}"} for i in range(size)],
        "risks": [{"risk": f"Risk {i}", "mitigation": f"Mitigation {i}"} for i in range(size)],
        "specification": [
            {"heading": f"Section {s}", "paragraphs": [{"text": f"Paragraph {s}.{p}", "list_items": "a\nb"}
                                                      for p in range(max(1, size // 5))]}
            for s in range(3)
        ],
        "budget_lines": [
            {
                "service": f"Service {i // 4}", "partner_id": (council if i % 2 == 0 else ccg).pk,
                "financial_year": 2018 + (i // 2) % 2, "budget_type": "aligned",
                "amount": Decimal(1000 + i) if statuses[i % 4] in ("confirmed", "to_be_agreed") else None,
                "status": statuses[i % 4], "ring_fenced_public_health": i % 3 == 0,
                "notes": f"Note {i}" if i % 4 == 3 else "",
            }
            for i in range(size)
        ],
    }


class World:
    """Two partners, their commissioner signed in, and agreements built to order."""

    def __init__(self):
        self.council, self.ccg = make_council(), make_ccg()
        self.user = make_user(partner=self.council)
        self.client = Client()
        self.client.force_login(self.user)

    def agreement(self, reference: str, *, schedules: int = 1, size: int = 10, edits: int = 0):
        agreement = make_agreement(partners=[self.council, self.ccg], reference=reference)
        for number in range(1, schedules + 1):
            schedule = make_schedule(agreement=agreement, fields={"number": number})
            schedule_update(schedule=schedule, document=document(size, self.council, self.ccg),
                            expected_edit_count=None, user=self.user, reason=f"{size} of everything")
            for edit in range(edits):
                schedule_update(schedule=schedule, document={"fields": {"services": f"Edit {edit}"}},
                                expected_edit_count=None, user=self.user, reason=f"Edit {edit}")
        return agreement


@pytest.fixture
def world() -> World:
    return World()


def assert_same(page: str, small: int, large: int) -> None:
    assert small == large, f"{page}: {small} queries at 1× the data, {large} at 10×"


def test_home_page(world):
    small_world = world
    for n in range(3):
        small_world.agreement(f"HOME-S-{n}", schedules=1, size=1)
    small = queries(small_world.client, reverse("home"))
    large_world = World()
    for n in range(30):
        large_world.agreement(f"HOME-L-{n}", schedules=1, size=1)
    large = queries(large_world.client, reverse("home"))
    assert_same("home page", small, large)


def test_agreement_page(world):
    small = world.agreement("AGREEMENT-S", schedules=2, size=5)
    large = world.agreement("AGREEMENT-L", schedules=20, size=50)
    assert_same("agreement page",
                queries(world.client, reverse("agreement", args=[small.reference])),
                queries(world.client, reverse("agreement", args=[large.reference])))


def test_schedule_page(world):
    small = world.agreement("SCHEDULE-S", size=10)
    large = world.agreement("SCHEDULE-L", size=100)
    count = queries(world.client, reverse("schedule", args=[small.reference, 1]))
    assert_same("schedule page", count, queries(world.client, reverse("schedule", args=[large.reference, 1])))
    assert count <= 15, f"the schedule page makes {count} queries (target ≤ 15)"


def test_history_page(world):
    # Pages hold 20 entries: 21 entries (a full first page and one more) against 60.
    small = world.agreement("HISTORY-S", size=5, edits=19)
    large = world.agreement("HISTORY-L", size=50, edits=58)
    assert_same("history page",
                queries(world.client, reverse("schedule_history", args=[small.reference, 1])),
                queries(world.client, reverse("schedule_history", args=[large.reference, 1])))


def budget_csv(lines: int, council, ccg) -> bytes:
    out = io.StringIO()
    out.write("Financial year,Service,Partner,Budget type,Amount (£),Status\n")
    for i in range(lines):
        partner = council if i % 2 == 0 else ccg
        out.write(f"2024/25,Service {i // 2},{partner.name},Pooled,{1000 + i}.00,Confirmed\n")
    return out.getvalue().encode()


def preview_url(world: World, agreement, lines: int) -> str:
    upload = SimpleUploadedFile(f"budget-{lines}.csv", budget_csv(lines, world.council, world.ccg),
                                content_type="text/csv")
    response = world.client.post(reverse("budgets:import", args=[agreement.reference, 1]),
                                 {"file": upload, "financial_year": "", "budget_type": "", "reason": "Test"})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_import_preview(world):
    small = world.agreement("IMPORT-S", size=10)
    large = world.agreement("IMPORT-L", size=100)
    assert_same("import preview",
                queries(world.client, preview_url(world, small, 10)),
                queries(world.client, preview_url(world, large, 100)))


def test_schedule_pdf(world):
    small = world.agreement("PDF-S", size=10)
    large = world.agreement("PDF-L", size=100)
    assert_same("schedule PDF",
                queries(world.client, reverse("pdf:schedule", args=[small.reference, 1])),
                queries(world.client, reverse("pdf:schedule", args=[large.reference, 1])))


def test_schedule_page_rows_make_the_same_document(world):
    """The schedule page's one-UNION loader reads exactly what `schedule_snapshot_by_id` reads."""
    from agreements.selectors import schedule_with_rows
    from agreements.snapshots import (
        schedule_budget_lines_now,
        schedule_queryset,
        schedule_snapshot,
        schedule_snapshot_by_id,
    )

    agreement = world.agreement("SAME-DOC", size=12)
    schedule, snapshot = schedule_with_rows(world.user, agreement.reference, 1)
    assert snapshot == schedule_snapshot_by_id(schedule.pk)
    assert snapshot["budget_lines"] and snapshot == schedule_snapshot(schedule_queryset().get(pk=schedule.pk))
    lines_now = schedule_budget_lines_now(schedule)  # the budget lines page's own read
    assert lines_now["budget_lines"] == snapshot["budget_lines"]
    assert lines_now["partners"].items() <= snapshot["partners"].items()
