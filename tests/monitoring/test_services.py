from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from budgets.monitoring.presenters import MONITORING_RETURN
from budgets.monitoring.risk_share import split
from budgets.monitoring.services import return_present, return_save
from budgets.monitoring.variance import AMBER, RED, UNDER, variance_of
from documents.models import Decision, Revision
from documents.revisions import latest_revision, versions_of
from documents.services import NothingChanged

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


def _save(schedule, lines, period=6, **kw):
    figures = {
        lines["Health visiting"].pk: {"actual_to_date": "2251200.40", "forecast_outturn": "4512000", "notes": "Agency"},
        lines["School nursing"].pk: {"actual_to_date": "330150.25", "forecast_outturn": "661500", "notes": ""},
        lines["Oral health promotion"].pk: {"actual_to_date": "31000", "forecast_outturn": "70800", "notes": ""},
        lines["Continuing care"].pk: {"actual_to_date": "400000", "forecast_outturn": "990000", "notes": ""},
    }
    return return_save(schedule=schedule, financial_year=2018, period=period, values=figures, reason="P6 return",
                       today=TODAY, **kw)


def test_a_return_is_a_versioned_document_whose_snapshot_rebuilds_from_history(schedule, lines):
    monitoring_return = _save(schedule, lines)
    revision = latest_revision(monitoring_return)
    assert revision.snapshot["type"] == "monitoring_return"
    assert len(revision.snapshot["entries"]) == 4
    assert MONITORING_RETURN.rebuild(revision) == revision.snapshot
    with pytest.raises(NothingChanged):
        _save(schedule, lines, expected_edit_count=None)


def test_variance_and_flags_keep_lines_to_be_agreed_apart(schedule, lines):
    doc = latest_revision(_save(schedule, lines)).snapshot
    variance = variance_of(doc)
    by = {line.label: line for line in variance.lines}
    assert by["Health visiting"].variance == Decimal("123412.00") and by["Health visiting"].flag is RED
    assert by["Oral health promotion"].percent == Decimal("1.1") and by["Oral health promotion"].flag is AMBER
    assert by["Continuing care"].flag is UNDER
    assert [entry["service"] for entry in variance.apart] == []  # no entry was given for the TBA line
    assert variance.total.variance == Decimal("123412.00") - Decimal("10000") + Decimal("800")


def test_refusals_write_nothing(schedule, lines):
    before = (Revision.objects.count(), MonitoringEntry.history.count())
    with pytest.raises(ValidationError, match="P13"):
        return_save(schedule=schedule, financial_year=2018, period=13, values={}, reason="x", today=TODAY)
    with pytest.raises(ValidationError, match="2027/28 has not begun"):
        return_save(schedule=schedule, financial_year=2027, period=1, values={}, reason="x", today=TODAY)
    credit = {lines["School nursing"].pk: {"actual_to_date": "-50", "forecast_outturn": "0", "notes": ""}}
    with pytest.raises(ValidationError, match="credit"):
        return_save(schedule=schedule, financial_year=2018, period=1, values=credit, reason="x", today=TODAY)
    assert (Revision.objects.count(), MonitoringEntry.history.count()) == before
    assert not MonitoringReturn.objects.exists()


def test_presenting_freezes_a_version(schedule, lines):
    monitoring_return = _save(schedule, lines)
    decision = Decision(body="Haringey Health and Wellbeing Board", decided_on=date(2018, 10, 18))
    version = return_present(monitoring_return=monitoring_return, decision=decision)
    presented = version.revision.snapshot
    correction = {lines["School nursing"].pk: {"actual_to_date": "330150.25", "forecast_outturn": "700000",
                                               "notes": "Corrected after the board"}}
    return_save(schedule=schedule, financial_year=2018, period=6, values=correction, reason="Correction", today=TODAY)
    assert latest_revision(monitoring_return).snapshot != presented
    assert versions_of(monitoring_return).get().revision.snapshot == presented  # prints again exactly


@pytest.mark.parametrize(("amount", "weights"), [
    (Decimal("100.00"), [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))]),
    (Decimal("-126471.00"), [("a", Decimal("5607725")), ("b", Decimal("1234567.89"))]),
    (Decimal("0.01"), [("a", Decimal(50)), ("b", Decimal(50))]),
])
def test_split_adds_up_to_the_penny(amount, weights):
    parts = split(amount, weights)
    assert sum(p for _k, p in parts) == amount
    assert all(p == p.quantize(Decimal("0.01")) for _k, p in parts)


def test_split_by_largest_remainder():
    assert split(Decimal("100"), [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))]) == [
        ("a", Decimal("33.34")), ("b", Decimal("33.33")), ("c", Decimal("33.33"))]


def test_the_report_as_presented_prints_again_exactly(schedule, lines, tmp_path):
    from django.core.management import call_command

    from budgets.monitoring.report import build_report, report_state

    monitoring_return = _save(schedule, lines)
    return_present(monitoring_return=monitoring_return,
                   decision=Decision(body="Health and Wellbeing Board", decided_on=date(2018, 10, 18)))
    presented = build_report(monitoring_return, report_state(monitoring_return, version=1))
    correction = {lines["Health visiting"].pk: {"actual_to_date": "1", "forecast_outturn": "1", "notes": "Fixed"}}
    return_save(schedule=schedule, financial_year=2018, period=6, values=correction, reason="Correction", today=TODAY)
    again = build_report(monitoring_return, report_state(monitoring_return, version=1))
    assert again["body"]["variance"].total.variance == presented["body"]["variance"].total.variance
    assert sum(amount for _name, amount in again["shares"]) == again["body"]["variance"].total.variance
    assert "to Health and Wellbeing Board" in " ".join(again["status_words"])
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"report.{suffix}"
        call_command("finance_report", "HAR-S75-2017", "--schedule", "6", "--year", "2018/19", "--period", "P6",
                     "--presented-version", "1", "--output", str(out))
        assert out.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")


def test_the_risk_share_rule_is_versioned_and_fixed_shares_add_to_100(schedule, lines, partners):
    from budgets.monitoring.risk_rules import risk_share_set, rule_as_of
    from documents.registry import document_type

    council, ccg, _ = partners
    with pytest.raises(ValidationError, match="add up to 90 %"):
        risk_share_set(schedule=schedule, rule="fixed", reason="x",
                       parts=[{"partner_id": council.pk, "percent": "60"}, {"partner_id": ccg.pk, "percent": "30"}])
    share = risk_share_set(schedule=schedule, rule="fixed", reason="Agreed at the board",
                           parts=[{"partner_id": council.pk, "percent": "60"}, {"partner_id": ccg.pk, "percent": "40"}])
    revision = latest_revision(share)
    assert document_type("risk_share").rebuild(revision) == revision.snapshot == rule_as_of(schedule)
    risk_share_set(schedule=schedule, rule="own_lines", parts=[], reason="Aligned budgets after all")
    assert rule_as_of(schedule)["fields"]["rule"] == "own_lines" and not share.parts.exists()
