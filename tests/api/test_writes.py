"""Writing budget lines through the API: the import's checks, one revision, If-Match, all or nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import override_settings

from agreements.models import BudgetLine, Schedule
from documents.models import RevisionKind
from documents.revisions import revisions_of

pytestmark = pytest.mark.django_db


def _url(schedule):
    return f"/api/v1/schedules/{schedule.pk}/budget-lines/"


def _etag(client, schedule):
    return client.get(f"/api/v1/schedules/{schedule.pk}/")["ETag"]


def _line(**overrides):
    return {"service": "Health visiting (API)", "partner": "LBH", "financial_year": 2019, "budget_type": "aligned",
            "amount": "1234.50", **overrides}


def _post(client, schedule, body, etag=None, **extra):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.post(_url(schedule), data=json.dumps(body), content_type="application/json", **headers, **extra)


def _state(schedule):
    return (BudgetLine.objects.filter(schedule=schedule).count(), revisions_of(schedule).count(),
            Schedule.objects.get(pk=schedule.pk).edit_count)


def test_bulk_write_is_one_revision_with_its_reason(api_for, schedule6):
    client = api_for("haringey-finance")
    lines_before, revisions_before, _ = _state(schedule6)
    body = {"reason": "Q3 budget from the ledger", "lines": [
        _line(), _line(service="School nursing (API)", amount=None, status="to_be_agreed", notes="After review"),
    ]}
    etag = _etag(client, schedule6)
    response = _post(client, schedule6, body, etag)
    assert response.status_code == 200, response.json()
    result = response.json()
    assert (result["created"], result["changed"]) == (2, 0)
    assert result["revision"]["reason"] == "Q3 budget from the ledger" and result["revision"]["kind"] == "edited"
    assert response["ETag"] == result["etag"] != etag  # the new ETag, for the next write
    assert _state(schedule6)[:2] == (lines_before + 2, revisions_before + 1)
    line = BudgetLine.objects.get(schedule=schedule6, service="Health visiting (API)")
    assert line.amount == Decimal("1234.50") and line.status == "confirmed"
    assert line.history.latest().revision_id == result["revision"]["id"]
    assert revisions_of(schedule6).first().snapshot["budget_lines"]  # the revision holds the whole document

    again = _post(client, schedule6, {"reason": "Amount corrected", "lines": [_line(amount=99)]}, result["etag"])
    assert again.json()["changed"] == 1 and again.json()["revision"]["kind"] == RevisionKind.EDITED


def test_a_stale_etag_is_refused_with_412_and_nothing_written(api_for, schedule6):
    client = api_for("haringey-commissioner")
    stale = _etag(client, schedule6)
    assert _post(client, schedule6, {"reason": "First", "lines": [_line()]}, stale).status_code == 200
    before = _state(schedule6)
    response = _post(client, schedule6, {"reason": "Second", "lines": [_line(amount="5.00")]}, stale)
    assert response.status_code == 412
    assert "changed since you read it" in response.json()["detail"]
    assert _state(schedule6) == before


def test_no_if_match_is_428(api_for, schedule6):
    response = _post(api_for("haringey-finance"), schedule6, {"reason": "x", "lines": [_line()]})
    assert response.status_code == 428 and "If-Match" in response.json()["detail"]


def test_patch_one_line(api_for, schedule6):
    client = api_for("haringey-finance")
    line = BudgetLine.objects.filter(schedule=schedule6, status="confirmed").first()
    response = client.patch(f"/api/v1/budget-lines/{line.pk}/", data={"reason": "Corrected", "amount": "10.00"},
                            format="json", HTTP_IF_MATCH=client.get(f"/api/v1/budget-lines/{line.pk}/")["ETag"])
    assert response.status_code == 200, response.json()
    assert response.json()["changed"] == 1
    line.refresh_from_db()
    assert line.amount == Decimal("10.00")
    assert revisions_of(schedule6).first().reason == "Corrected"


def test_the_same_lines_again_change_nothing(api_for, schedule6):
    client = api_for("haringey-finance")
    first = _post(client, schedule6, {"reason": "Load", "lines": [_line()]}, _etag(client, schedule6)).json()
    before = _state(schedule6)
    second = _post(client, schedule6, {"reason": "Load again", "lines": [_line()]}, first["etag"])
    assert second.status_code == 200 and second.json()["unchanged"] == 1 and second.json()["revision"] is None
    assert _state(schedule6) == before


@pytest.mark.parametrize("role", ["haringey-viewer", "haringey-legal"])
def test_roles_that_may_not_edit_budgets_get_403(api_for, schedule6, role):
    client = api_for(role)
    response = _post(client, schedule6, {"reason": "x", "lines": [_line()]}, _etag(client, schedule6))
    assert response.status_code == 403 and "finance officers" in response.json()["detail"]


def test_an_outsider_gets_404(api_for, schedule6):
    client = api_for("cambridgeshire-commissioner")
    etag = f'"schedule-{schedule6.pk}-{schedule6.edit_count}"'
    assert _post(client, schedule6, {"reason": "x", "lines": [_line()]}, etag).status_code == 404


# ------------------------------------------------------------------------------------------ bad input


def _refused(client, schedule, body, *, status=400, raw=None, **extra):
    before = _state(schedule)
    headers = {"HTTP_IF_MATCH": _etag(client, schedule)}
    data = raw if raw is not None else json.dumps(body)
    response = client.post(_url(schedule), data=data, content_type="application/json", **headers, **extra)
    assert response.status_code == status, response.content
    assert _state(schedule) == before, "nothing is written"
    return response.json()


def test_row_numbered_errors_and_nothing_written(api_for, schedule6):
    body = {"reason": "Bad lines", "lines": [
        _line(),
        _line(service="B", amount="12.345"),
        _line(service="C", partner="Nowhere Council"),
        _line(service="D", financial_year="2019/21"),
        _line(service="E", amount=True),
        _line(service="F", colour="blue"),
        _line(service="G", budget_type="pooledd"),
        _line(),  # the same as line 1
    ]}
    result = _refused(api_for("haringey-finance"), schedule6, body)
    by_row = {(error["row"], error["field"]): error["message"] for error in result["errors"]}
    assert "more than 2 decimal places" in by_row[(2, "amount")]
    assert "not a partner we know" in by_row[(3, "partner")]
    assert "financial year" in by_row[(4, "financial_year")]
    assert (5, "amount") in by_row
    assert "not a field of a budget line" in by_row[(6, "colour")]
    assert "not a budget type" in by_row[(7, "budget_type")]
    assert "same line as row 1" in by_row[(8, "service")]
    assert result["detail"].startswith("Nothing was written")


def test_a_partner_not_party_to_the_agreement(api_for, schedule6):
    result = _refused(api_for("haringey-finance"), schedule6,
                      {"reason": "x", "lines": [_line(partner="Cambridgeshire County Council")]})
    assert "is not a party to agreement" in result["errors"][0]["message"]


def test_malformed_json(api_for, schedule6):
    result = _refused(api_for("haringey-finance"), schedule6, None, raw='{"reason": "x", "lines": [')
    assert "not valid JSON" in result["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"lines": [_line()]}, "reason"),
    ({"reason": "  ", "lines": [_line()]}, "reason"),
    ({"reason": "x", "lines": "all of them"}, "lines"),
    ({"reason": "x", "lines": [], "extra": 1}, "extra"),
    ({"reason": "x", "lines": []}, "lines"),
])
def test_envelope_errors_name_the_field(api_for, schedule6, body, field):
    result = _refused(api_for("haringey-finance"), schedule6, body)
    assert field in result["errors"]


def test_10001_lines_are_refused(api_for, schedule6):
    lines = [_line(service=f"Service {i}") for i in range(10_001)]
    result = _refused(api_for("haringey-finance"), schedule6, {"reason": "Too many", "lines": lines})
    assert "at most 10,000" in " ".join(result["errors"]["lines"])


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_limit_is_413(api_for, schedule6):
    lines = [_line(service=f"Service {i}") for i in range(50)]
    result = _refused(api_for("haringey-finance"), schedule6, {"reason": "Big", "lines": lines}, status=413)
    assert "the most the API accepts is 1,000 bytes" in result["detail"]


def test_patch_refuses_unknown_fields_and_key_changes(api_for, schedule6):
    client = api_for("haringey-finance")
    line = BudgetLine.objects.filter(schedule=schedule6).first()
    etag = client.get(f"/api/v1/budget-lines/{line.pk}/")["ETag"]
    response = client.patch(f"/api/v1/budget-lines/{line.pk}/", data={"reason": "x", "service": "Renamed"},
                            format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400 and "service" in response.json()["errors"]
