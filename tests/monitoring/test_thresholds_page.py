"""The agreement's monitoring thresholds page: finance staff see and change when lines turn amber or
red, with a reason; each change is in the page's history, and bad input is named and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from budgets.monitoring.models import Thresholds
from tests.html_forms import form_data

REF = "HARINGEY-S75-2017"
URL = f"/agreements/{REF}/monitoring/thresholds/"
REPORTS = f"/agreements/{REF}/monitoring/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_module, db):  # the demo, once per module (tests/conftest.py)
    return None


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _unchanged() -> bool:
    stored = Thresholds.objects.get(agreement__reference=REF)
    return (stored.amber_percent, stored.red_percent, stored.red_amount) == (Decimal(1), Decimal(3), Decimal(50000))


def _post(client, **changes):
    return client.post(URL, {**form_data(client.get(URL)), **changes})


def test_finance_changes_the_thresholds_with_a_reason_and_it_is_in_the_history(demo):
    client = _client("haringey-finance")
    reports = client.get(REPORTS).content.decode()
    assert "Flags: amber from a projected overspend of 1 %, red from 3 % or £50,000." in reports
    assert f'href="{URL}"' in reports
    page = client.get(URL).content.decode()
    assert 'value="1"' in page and 'value="3"' in page and 'value="50000"' in page
    before = Thresholds.history.filter(agreement__reference=REF).count()  # the demo wrote the defaults down

    response = _post(client, amber_percent="2 %", red_percent="5", red_amount="£75,000", reason="Agreed at the board")
    assert response.status_code == 302 and response["Location"] == REPORTS
    stored = Thresholds.objects.get(agreement__reference=REF)
    assert (stored.amber_percent, stored.red_percent, stored.red_amount) == (Decimal("2"), Decimal("5"), Decimal("75000"))
    page = client.get(URL).content.decode()
    assert "Amber from a projected overspend of 2 %, red from 5 % or £75,000" in page
    finance = get_user_model().objects.get(username="haringey-finance")
    assert (finance.get_full_name() or finance.username) in page
    assert "Agreed at the board" in page
    assert Thresholds.history.filter(agreement__reference=REF).count() == before + 1
    assert "red from 5 % or £75,000." in client.get(REPORTS).content.decode()


def test_red_below_amber_is_named_and_changes_nothing(demo):
    response = _post(_client("haringey-finance"), amber_percent="4", red_percent="2", reason="Typo")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Red must start at or above amber, and the amount must be above £0." in page
    assert 'href="#id_red_percent"' in page and 'id="id_red_percent-error"' in page and "govuk-input--error" in page
    assert _unchanged()


def test_a_value_that_is_not_a_number_and_a_missing_reason_are_named(demo):
    response = _post(_client("haringey-finance"), red_amount="lots", amber_percent="1,5", reason="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "id_red_amount-error" in page and "id_reason-error" in page
    assert "id_amber_percent-error" in page  # "1,5" is not read as 15
    assert _unchanged()


def test_saving_the_same_values_says_nothing_changed(demo):
    client = _client("haringey-finance")
    before = Thresholds.history.filter(agreement__reference=REF).count()
    response = _post(client, reason="Again")
    assert response.status_code == 200 and "govuk-inset-text" in response.content.decode()
    assert Thresholds.history.filter(agreement__reference=REF).count() == before


def test_a_change_by_someone_else_since_the_page_opened_is_refused(demo):
    client = _client("haringey-finance")
    opened = form_data(client.get(URL))
    _post(_client("haringey-commissioner"), amber_percent="2", reason="Commissioner's change")
    response = client.post(URL, {**opened, "amber_percent": "1.5", "reason": "Mine"})
    assert response.status_code == 409
    assert "Someone changed these thresholds after you opened this page" in response.content.decode()
    assert Thresholds.objects.get(agreement__reference=REF).amber_percent == Decimal("2")


def test_only_budget_editors_see_the_link_and_may_open_it(demo):
    viewer = _client("haringey-viewer")
    assert "Change the thresholds" not in viewer.get(REPORTS).content.decode()
    assert viewer.get(URL).status_code == 403
    assert _client("cambridgeshire-commissioner").get(URL).status_code == 404
    assert reverse("budgets:thresholds_edit", args=[REF]) == URL
