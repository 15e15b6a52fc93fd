"""Listing budget lines takes the same few queries whatever the page size and however many lines there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from budgets.importing import budget_lines_write
from partnerships.tokens import api_token_create
from tests.factories import make_agreement, make_ccg, make_council, make_schedule, make_user

pytestmark = pytest.mark.django_db


def _lines(count: int, council, ccg) -> list[dict]:
    return [{"service": f"Service {i // 4}", "partner": (council if i % 2 else ccg).pk,
             "financial_year": 2018 + (i // 2) % 2, "budget_type": "aligned", "amount": f"{1000 + i}.25"}
            for i in range(count)]


@pytest.fixture
def thousand_lines():
    council, ccg = make_council(), make_ccg()
    user = make_user(partner=council)
    schedule = make_schedule(agreement=make_agreement(partners=[council, ccg], reference="QC-1"))
    budget_lines_write(schedule=schedule, records=_lines(1000, council, ccg), user=user, reason="Load",
                       expected_edit_count=None)
    _token, key = api_token_create(user=user, name="count")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client, schedule


def _count(client, url: str) -> tuple[int, int]:
    assert client.get(url).status_code == 200  # warm: content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("page_size", [10, 100, 1000])
def test_list_of_1000_lines_in_at_most_10_queries(thousand_lines, page_size):
    client, schedule = thousand_lines
    count, listed = _count(client, f"/api/v1/budget-lines/?page_size={page_size}")
    assert listed == page_size
    assert count <= 10, count
    count_filtered, _ = _count(client, f"/api/v1/budget-lines/?schedule={schedule.pk}&page_size={page_size}"
                                       "&financial_year=2018&budget_type=aligned")
    assert count_filtered <= 10


def test_same_queries_for_10_and_1000_per_page(thousand_lines):
    client, schedule = thousand_lines
    small, _ = _count(client, "/api/v1/budget-lines/?page_size=10")
    large, _ = _count(client, "/api/v1/budget-lines/?page_size=1000")
    assert small == large
    per_schedule, _ = _count(client, f"/api/v1/schedules/{schedule.pk}/budget-lines/?page_size=1000")
    assert per_schedule <= 10
