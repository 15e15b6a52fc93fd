"""Monitoring returns and finance reports in the API: the monitoring app's own figures, as decimal strings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.api.monitoring_figures import return_documents
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.presenters import limits_for
from budgets.monitoring.report import build_report, report_state
from budgets.monitoring.snapshots import return_snapshot
from budgets.monitoring.variance import variance_of

pytestmark = pytest.mark.django_db


def _p6(schedule):
    return MonitoringReturn.objects.select_related("schedule__agreement").get(
        schedule=schedule, financial_year=2018, period=6)


def test_the_list_filters_by_agreement_schedule_year_and_period(api_for, schedule6):
    client = api_for("haringey-viewer")
    every = client.get("/api/v1/monitoring-returns/").json()["results"]
    assert sorted((r["financial_year"], r["period"]) for r in every) == [(2018, p) for p in range(1, 7)]
    for query in (f"schedule={schedule6.pk}", "agreement=HARINGEY-S75-2017", "financial_year=2018"):
        assert len(client.get(f"/api/v1/monitoring-returns/?{query}").json()["results"]) == 6, query
    only = client.get("/api/v1/monitoring-returns/?period=6").json()["results"]
    assert [r["period"] for r in only] == [6]
    assert client.get("/api/v1/monitoring-returns/?financial_year=2019").json()["results"] == []


def test_each_line_has_the_monitoring_apps_own_variance_and_flag(api_for, schedule6):
    p6 = _p6(schedule6)
    body = api_for("haringey-finance").get(f"/api/v1/monitoring-returns/{p6.pk}/").json()
    variance = variance_of(return_snapshot(p6), limits_for(schedule6.agreement.reference))
    by_entry = {line.entry["id"]: line for line in variance.lines}
    assert len(body["lines"]) == p6.entries.count() and by_entry
    for line in body["lines"]:
        expected = by_entry.get(line["id"])
        assert line["counted"] is (expected is not None)
        if expected is not None:
            want = None if expected.variance is None else f"{expected.variance:.2f}"
            assert (line["variance"], line["flag"]["key"]) == (want, expected.flag.key)
        for name in ("actual_to_date", "forecast_outturn", "budget", "variance"):
            assert line[name] is None or isinstance(line[name], str), (name, line[name])
    assert body["total"]["variance"] == f"{variance.total.variance:.2f}"
    assert body["total"]["flag"]["key"] == variance.total.flag.key


def test_red_lines_are_flagged_red(api_for, schedule6):
    p6 = _p6(schedule6)
    body = api_for("haringey-finance").get(f"/api/v1/monitoring-returns/{p6.pk}/").json()
    red = [line["service"] for line in body["lines"] if line["flag"] and line["flag"]["key"] == "red"]
    assert red, "the demo's P6 has health visiting in red"


def test_the_bulk_documents_are_the_returns_own_snapshots(schedule6, demo):
    returns = list(MonitoringReturn.objects.select_related("schedule__agreement").filter(schedule=schedule6))
    documents = return_documents(returns)
    for monitoring_return in returns:
        assert documents[monitoring_return.pk] == return_snapshot(monitoring_return)


def test_a_page_of_returns_reads_in_a_fixed_number_of_queries(api_for, schedule6):
    client = api_for("haringey-viewer")
    client.get("/api/v1/monitoring-returns/?page_size=1")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/monitoring-returns/?page_size=1")
    with CaptureQueriesContext(connection) as six:
        assert len(client.get("/api/v1/monitoring-returns/?page_size=6").json()["results"]) == 6
    assert len(six) == len(one) <= 10


def test_the_period_route_gives_the_return_with_its_etag(api_for, schedule6):
    p6 = _p6(schedule6)
    client = api_for("haringey-viewer")
    response = client.get(f"/api/v1/schedules/{schedule6.pk}/monitoring-returns/2018/6/")
    assert response.status_code == 200 and response.json()["id"] == p6.pk
    assert response["ETag"] == f'"monitoringreturn-{p6.pk}-{p6.edit_count}"' == response.json()["etag"]
    missing = client.get(f"/api/v1/schedules/{schedule6.pk}/monitoring-returns/2018/7/")
    assert missing.status_code == 404


def test_the_finance_report_figures_are_build_reports(api_for, schedule6):
    p6 = _p6(schedule6)
    report = build_report(p6, report_state(p6))
    client = api_for("haringey-viewer")
    body = client.get(f"/api/v1/schedules/{schedule6.pk}/monitoring-returns/2018/6/report/").json()
    same = client.get(f"/api/v1/monitoring-returns/{p6.pk}/report/").json()
    assert body == same
    total = report["body"]["variance"].total
    assert (body["total"]["budget"], body["total"]["variance"]) == (f"{total.budget:.2f}", f"{total.variance:.2f}")
    assert body["risk_share"]["rule"] == report["rule"]
    shares = [(s["partner"], s["amount"]) for s in body["risk_share"]["shares"]]
    assert shares == [(name, f"{amount:.2f}") for name, amount in report["shares"]]
    assert sum(float(a) for _n, a in shares) == pytest.approx(float(total.variance))
    assert [p["period"] for p in body["forecast_path"]] == [1, 2, 3, 4, 5, 6]
    assert len(body["by_partner"]) == len(report["body"]["variance"].by_partner)


def test_the_report_as_presented_and_an_unknown_version(api_for, schedule6):
    p6 = _p6(schedule6)
    client = api_for("haringey-viewer")
    presented = client.get(f"/api/v1/monitoring-returns/{p6.pk}/report/?version=1")
    assert presented.status_code == 200 and presented.json()["version"] == 1
    assert client.get(f"/api/v1/monitoring-returns/{p6.pk}/report/?version=9").status_code == 404
    assert client.get(f"/api/v1/monitoring-returns/{p6.pk}/report/?version=x").status_code == 400


def test_revisions_versions_and_as_of_of_a_return(api_for, schedule6):
    p6 = _p6(schedule6)
    client = api_for("haringey-legal")
    revisions = client.get(f"/api/v1/monitoring-returns/{p6.pk}/revisions/").json()["results"]
    assert revisions and all("snapshot" not in r for r in revisions)
    versions = client.get(f"/api/v1/monitoring-returns/{p6.pk}/versions/").json()
    assert [v["number"] for v in versions] == [1]
    version = client.get(f"/api/v1/monitoring-returns/{p6.pk}/versions/1/").json()
    assert version["snapshot"]["type"] == "monitoring_return"
    as_of = client.get(f"/api/v1/monitoring-returns/{p6.pk}/as-of/?date=2099-01-01").json()
    assert as_of["document"]["fields"]["period"] == 6


def test_an_outsider_gets_404_and_sees_no_returns(api_for, schedule6):
    p6 = _p6(schedule6)
    outsider = api_for("cambridgeshire-commissioner")
    assert outsider.get("/api/v1/monitoring-returns/").json()["results"] == []
    for url in (f"/api/v1/monitoring-returns/{p6.pk}/", f"/api/v1/monitoring-returns/{p6.pk}/report/",
                f"/api/v1/monitoring-returns/{p6.pk}/revisions/",
                f"/api/v1/schedules/{schedule6.pk}/monitoring-returns/2018/6/",
                f"/api/v1/schedules/{schedule6.pk}/monitoring-returns/2018/6/report/"):
        assert outsider.get(url).status_code == 404, url
