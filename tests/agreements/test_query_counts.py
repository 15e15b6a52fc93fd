"""The schedule page's SQL queries do not grow with the number of budget lines and list items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.services.schedules import schedule_update
from tests.factories import make_agreement, make_ccg, make_council, make_schedule, make_user

pytestmark = pytest.mark.django_db


def _document(size: int, council, ccg) -> dict:
    """A schedule with `size` budget lines, outcomes, aims, KPIs, risks and specification paragraphs."""
    statuses = ["confirmed", "to_be_agreed", "not_applicable", "within_block"]
    return {
        "aims": [{"text": f"Aim {i}"} for i in range(size)],
        "outcomes": [{"text": f"Outcome {i}"} for i in range(size)],
        "strategy_documents": [{"text": f"Strategy {i}"} for i in range(size)],
        "kpis": [{"text": f"KPI {i}"} for i in range(size)],
        "risks": [{"risk": f"Risk {i}", "mitigation": f"Mitigation {i}"} for i in range(size)],
        "specification": [
            {"heading": f"Section {s}", "paragraphs": [{"text": f"Paragraph {s}.{p}", "list_items": "a\nb"}
                                                      for p in range(size // 5)]}
            for s in range(5)
        ],
        "budget_lines": [
            {
                "service": f"Service {i // 4}",
                "partner_id": (council if i % 2 == 0 else ccg).pk,
                "financial_year": 2018 + (i // 2) % 2,
                "budget_type": "aligned",
                "amount": Decimal(1000 + i) if statuses[i % 4] in ("confirmed", "to_be_agreed") else None,
                "status": statuses[i % 4],
                "ring_fenced_public_health": i % 3 == 0,
                "notes": f"Note {i}" if i % 4 == 3 else "",
            }
            for i in range(size)
        ],
    }


@pytest.fixture
def page_queries():
    """Build a schedule of a given size through the services; return the queries its page makes."""
    council, ccg = make_council(), make_ccg()
    agreement = make_agreement(partners=[council, ccg], reference="QUERIES-1")
    user = make_user(partner=council)
    client = Client()
    client.force_login(user)

    def count(size: int, number: int) -> int:
        schedule = make_schedule(agreement=agreement, fields={"number": number})
        schedule_update(schedule=schedule, document=_document(size, council, ccg), expected_edit_count=None,
                        user=user, reason=f"{size} of everything")
        assert schedule.outcomes.count() == size
        assert schedule.budget_lines.count() == size
        # The page shows one financial year at a time: ask for the year of the last line, checked below.
        year = 2018 + ((size - 1) // 2) % 2
        url = f"/agreements/{agreement.reference}/schedules/{number}/?year={year}/{(year + 1) % 100:02d}"
        client.get(url)  # warm up: session, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert f"Outcome {size - 1}" in body and f"Service {(size - 1) // 4}" in body
        return len(queries)

    return count


def test_schedule_page_query_count_does_not_grow_with_its_size(page_queries):
    small = page_queries(10, 1)
    large = page_queries(100, 2)
    assert small == large, f"{small} queries with 10 lines and outcomes, {large} with 100"
    assert small < 40, f"{small} queries is a lot for one page"
