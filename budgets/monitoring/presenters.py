"""How a monitoring return reads on its page, its versions and in its diffs (MONITORING_RETURN)."""

from __future__ import annotations

from typing import Any

from agreements.budget_values import financial_year_label
from budgets.monitoring.models import Thresholds, period_month
from budgets.monitoring.rebuild import rebuild_return
from budgets.monitoring.variance import Limits, variance_of
from documents.diffing import show_partner
from documents.money import money
from documents.registry import DocumentType, ListLabel
from partnerships.access import Capability


def limits_for(agreement_reference: str) -> Limits:
    return Limits.of(Thresholds.objects.filter(agreement__reference=agreement_reference).first())


def present_return(document: dict[str, Any], limits: Limits | None = None) -> dict[str, Any]:
    fields = document["fields"]
    limits = limits or limits_for(document["schedule"]["agreement_reference"])
    variance = variance_of(document, limits)
    return {
        "doc": document,
        "year_label": financial_year_label(fields["financial_year"]),
        "period": fields["period"],
        "month": period_month(fields["period"]),
        "note": fields.get("note", ""),
        "variance": variance,
        "groupings": [("By partner", variance.by_partner, "by-partner"), ("By service", variance.by_service, "by-service")],
        "limits": limits,
    }


def _entry_name(item: dict[str, Any], document: dict[str, Any]) -> str:
    partner = document.get("partners", {}).get(str(item.get("partner_id")), {}).get("name", "")
    return f"{item.get('service', 'Line')} ({partner})" if partner else item.get("service", "Line")


MONITORING_RETURN = DocumentType(
    kind="monitoring_return",
    present=present_return,
    body_template="budgets/monitoring/includes/return_body.html",
    agree_capability=Capability.PRESENT_REPORTS,
    field_labels={"financial_year": "Financial year", "period": "Period", "note": "Note on the figures"},
    lists={"entries": ListLabel("Budget lines", name=_entry_name)},
    item_field_labels={"actual_to_date": "Actual to date", "forecast_outturn": "Forecast outturn", "notes": "Notes"},
    display={
        "actual_to_date": lambda value, doc: money(value) or "(blank)",
        "forecast_outturn": lambda value, doc: money(value) or "(blank)",
        "financial_year": lambda value, doc: financial_year_label(int(value)),
        "period": lambda value, doc: f"P{value}",
        "partner_id": show_partner,
    },
    hidden_item_keys=frozenset({"budget_line_id", "service", "partner_id", "budget_type", "budget", "budget_status",
                                "ring_fenced_public_health"}),
    agreed_word="presented",
    agree_verb="mark as presented",
    this_name="This monitoring return",
    rebuild=rebuild_return,
)


def present_risk_share(document: dict[str, Any]) -> dict[str, Any]:
    from budgets.monitoring.models import RiskShareRule

    partners = document.get("partners", {})
    return {"doc": document, "rule": RiskShareRule(document["fields"]["rule"]).label,
            "parts": [(partners.get(str(p["partner_id"]), {}).get("name", ""), p["percent"])
                      for p in document.get("parts", [])]}


def _rebuild_risk_share(revision):
    from budgets.monitoring.risk_rules import rebuild_risk_share

    return rebuild_risk_share(revision)


RISK_SHARE = DocumentType(
    kind="risk_share",
    present=present_risk_share,
    body_template="budgets/monitoring/includes/risk_share_body.html",
    agree_capability=Capability.EDIT_AGREEMENT,
    field_labels={"rule": "Risk-share rule"},
    lists={"parts": ListLabel("Fixed shares", name=lambda item, doc: show_partner(item.get("partner_id"), doc))},
    item_field_labels={"partner_id": "Partner", "percent": "Share (%)"},
    display={"partner_id": show_partner},
    this_name="This risk-share rule",
    rebuild=_rebuild_risk_share,
)
