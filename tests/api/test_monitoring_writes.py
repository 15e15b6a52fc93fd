"""Writing a period's monitoring figures through the API: return_save, the editor's checks, If-Match, all or nothing."""

from __future__ import annotations

import json

import pytest

from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from budgets.monitoring.services import monitored_lines
from documents.revisions import revisions_of

pytestmark = pytest.mark.django_db


def _url(schedule, year=2018, period=6):
    return f"/api/v1/schedules/{schedule.pk}/monitoring-returns/{year}/{period}/"


def _put(client, schedule, body, *, year=2018, period=6, raw=None, **headers):
    return client.put(_url(schedule, year, period), data=raw if raw is not None else json.dumps(body),
                      content_type="application/json", **headers)


def _p6(schedule):
    return MonitoringReturn.objects.get(schedule=schedule, financial_year=2018, period=6)


def _lines_of_p6(schedule):
    """The P6 return's lines as the API takes them, from what is stored."""
    return [{"budget_line": e.budget_line_id, "actual_to_date": None if e.actual_to_date is None else str(e.actual_to_date),
             "forecast_outturn": None if e.forecast_outturn is None else str(e.forecast_outturn), "notes": e.notes}
            for e in _p6(schedule).entries.order_by("position", "id")]


def _state(schedule):
    p6 = _p6(schedule)
    return (p6.edit_count, revisions_of(p6).count(),
            sorted(p6.entries.values_list("budget_line_id", "actual_to_date", "forecast_outturn", "notes")))


def test_a_finance_officer_changes_figures_as_one_revision_with_the_reason(api_for, schedule6):
    client = api_for("haringey-finance")
    etag = client.get(_url(schedule6))["ETag"]
    lines = _lines_of_p6(schedule6)
    lines[0]["forecast_outturn"] = "999999.99"
    before = revisions_of(_p6(schedule6)).count()
    response = _put(client, schedule6, {"reason": "P6 from the ledger", "lines": lines}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["revision"]["reason"] == "P6 from the ledger" and body["created"] is False
    assert revisions_of(_p6(schedule6)).count() == before + 1
    entry = MonitoringEntry.objects.get(monitoring_return=_p6(schedule6), budget_line_id=lines[0]["budget_line"])
    assert str(entry.forecast_outturn) == "999999.99"
    assert response["ETag"] == body["etag"] != etag
    assert client.get(_url(schedule6))["ETag"] == body["etag"]


def test_the_same_figures_again_write_nothing(api_for, schedule6):
    client = api_for("haringey-commissioner")
    etag = client.get(_url(schedule6))["ETag"]
    before = _state(schedule6)
    response = _put(client, schedule6, {"reason": "Again", "lines": _lines_of_p6(schedule6)}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["revision"] is None
    assert _state(schedule6) == before and response["ETag"] == etag


def test_a_new_period_is_created_with_if_none_match(api_for, schedule6):
    client = api_for("haringey-finance")
    line = monitored_lines(schedule6, 2018).first()
    body = {"reason": "P7 from the ledger", "lines": [{"budget_line": line.pk, "actual_to_date": "10.00",
                                                        "forecast_outturn": "20.00"}]}
    assert _put(client, schedule6, body, period=7).status_code == 428
    assert _put(client, schedule6, body, period=7, HTTP_IF_MATCH='"monitoringreturn-1-0"').status_code == 412
    assert not MonitoringReturn.objects.filter(schedule=schedule6, period=7).exists()
    response = _put(client, schedule6, body, period=7, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 201, response.json()
    p7 = MonitoringReturn.objects.get(schedule=schedule6, financial_year=2018, period=7)
    assert [(e.budget_line_id, str(e.actual_to_date)) for e in p7.entries.all()] == [(line.pk, "10.00")]
    assert revisions_of(p7).get().reason == "P7 from the ledger"
    again = _put(client, schedule6, body, period=7, HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 412 and "already has a return" in again.json()["detail"]


def test_without_or_with_a_stale_if_match_nothing_is_written(api_for, schedule6):
    client = api_for("haringey-finance")
    lines = _lines_of_p6(schedule6)
    lines[0]["actual_to_date"] = "1.00"
    before = _state(schedule6)
    missing = _put(client, schedule6, {"reason": "x", "lines": lines})
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    p6 = _p6(schedule6)
    stale = _put(client, schedule6, {"reason": "x", "lines": lines},
                 HTTP_IF_MATCH=f'"monitoringreturn-{p6.pk}-{p6.edit_count - 1}"')
    assert stale.status_code == 412 and "Nothing was written" in stale.json()["detail"]
    assert _state(schedule6) == before


def test_every_bad_line_is_named_by_row_and_field_and_nothing_is_written(api_for, schedule6):
    client = api_for("haringey-finance")
    etag = client.get(_url(schedule6))["ETag"]
    lines = _lines_of_p6(schedule6)
    lines[0]["actual_to_date"] = "12.345"
    lines[1]["forecast_outturn"] = "-5.00"
    lines[2]["actual_to_date"], lines[2]["notes"] = "-100.00", ""
    lines[3]["colour"] = "red"
    lines[4]["forecast_outturn"] = True
    lines.append({"budget_line": lines[0]["budget_line"]})
    lines.append({"budget_line": 999999})
    before = _state(schedule6)
    response = _put(client, schedule6, {"reason": "Bad", "lines": lines}, HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    found = {(e["row"], e["field"]) for e in response.json()["errors"]}
    n = len(lines)
    assert found == {(1, "actual_to_date"), (2, "forecast_outturn"), (3, "notes"), (4, "colour"),
                     (5, "forecast_outturn"), (n - 1, "budget_line"), (n, "budget_line")}
    messages = {(e["row"], e["field"]): e for e in response.json()["errors"]}
    assert "12.345" in messages[(1, "actual_to_date")]["message"]
    assert messages[(1, "actual_to_date")]["value"] == "12.345"
    assert "999999" in messages[(n, "budget_line")]["message"]
    assert response.json()["detail"].startswith("Nothing was written: 7 errors in 7 lines")
    assert _state(schedule6) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"lines": []}, "reason"),
    ({"reason": "  ", "lines": []}, "reason"),
    ({"reason": "x"}, "lines"),
    ({"reason": "x", "lines": {}}, "lines"),
    ({"reason": "x", "lines": [], "colour": "red"}, "colour"),
    ({"reason": "x", "lines": [], "note": 3}, "note"),
])
def test_a_bad_request_names_its_field(api_for, schedule6, body, field):
    client = api_for("haringey-finance")
    etag = client.get(_url(schedule6))["ETag"]
    before = _state(schedule6)
    response = _put(client, schedule6, body, HTTP_IF_MATCH=etag)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert _state(schedule6) == before


def test_malformed_json_and_too_many_lines(api_for, schedule6):
    client = api_for("haringey-finance")
    etag = client.get(_url(schedule6))["ETag"]
    assert _put(client, schedule6, None, raw='{"reason": "x", "lines": [', HTTP_IF_MATCH=etag).status_code == 400
    many = {"reason": "x", "lines": [{"budget_line": 1}] * 10_001}
    response = _put(client, schedule6, many, HTTP_IF_MATCH=etag)
    assert response.status_code == 400 and "10,001" in response.json()["errors"]["lines"][0]


def test_a_year_not_begun_is_refused(api_for, schedule6):
    client = api_for("haringey-finance")
    response = _put(client, schedule6, {"reason": "x", "lines": []}, year=2090, period=1, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 400 and "has not begun" in response.json()["detail"]
    assert not MonitoringReturn.objects.filter(schedule=schedule6, financial_year=2090).exists()


def test_a_line_not_sent_has_no_entry_afterwards_and_the_note_is_kept(api_for, schedule6):
    client = api_for("haringey-finance")
    etag = client.get(_url(schedule6))["ETag"]
    note = _p6(schedule6).note
    lines = _lines_of_p6(schedule6)
    response = _put(client, schedule6, {"reason": "Only the first two", "lines": lines[:2]}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    p6 = _p6(schedule6)
    assert sorted(p6.entries.values_list("budget_line_id", flat=True)) == sorted(x["budget_line"] for x in lines[:2])
    assert p6.note == note


def test_a_forecast_below_the_actual_is_a_warning_not_an_error(api_for, schedule6):
    client = api_for("haringey-finance")
    etag = client.get(_url(schedule6))["ETag"]
    lines = _lines_of_p6(schedule6)
    lines[1]["actual_to_date"], lines[1]["forecast_outturn"] = "500.00", "100.00"
    response = _put(client, schedule6, {"reason": "Low forecast", "lines": lines}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert [(w["row"], w["field"]) for w in response.json()["warnings"]] == [(2, "forecast_outturn")]


@pytest.mark.parametrize("username", ["haringey-viewer", "haringey-legal"])
def test_viewers_and_legal_officers_may_not_write(api_for, schedule6, username):
    client = api_for(username)
    etag = client.get(_url(schedule6))["ETag"]
    before = _state(schedule6)
    response = _put(client, schedule6, {"reason": "x", "lines": _lines_of_p6(schedule6)}, HTTP_IF_MATCH=etag)
    assert response.status_code == 403
    assert _state(schedule6) == before


def test_an_outsider_gets_404_for_a_write(api_for, schedule6):
    response = _put(api_for("cambridgeshire-commissioner"), schedule6, {"reason": "x", "lines": []}, HTTP_IF_MATCH='"x"')
    assert response.status_code == 404
