"""Monitoring returns as the API shows them: each return's document and its figures, read in bulk.

The figures are the monitoring app's own: each return's document dict is built with
`budgets.monitoring.snapshots` (`entry_dict`, `return_dict`: the same dict `return_snapshot` gives,
a test holds it to that), its variance and flags with `variance.variance_of`, the finance report
with `report.build_report`. Nothing is computed here; this module only turns their results into
JSON, money as decimal strings ("4388588.00"), never floats.

A page of returns is read in a fixed number of queries: the returns, all their entries with their
budget lines and partners, and the thresholds of their agreements.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from agreements.budget_values import financial_year_label
from agreements.snapshots import partner_entry
from budgets.monitoring.models import MonitoringEntry, MonitoringReturn, Thresholds, period_month
from budgets.monitoring.snapshots import ENTRY_FIELDS, entry_dict, return_dict
from budgets.monitoring.variance import Figures, Flag, Limits, variance_of
from documents.api.preconditions import document_etag


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def flag_json(flag: Flag) -> dict[str, str]:
    return {"key": flag.key, "words": flag.words}


def figures_json(figures: Figures) -> dict[str, Any]:
    """Budget, actual, forecast, variance (forecast − budget; null while a forecast is missing) and flag."""
    return {
        "label": figures.label, "budget": money(figures.budget), "actual_to_date": money(figures.actual),
        "forecast_outturn": money(figures.forecast), "missing_forecasts": figures.missing_forecast,
        "variance": money(figures.variance), "variance_percent": _percent(figures.percent),
        "flag": flag_json(figures.flag),
    }


def return_documents(returns: list[MonitoringReturn]) -> dict[int, dict[str, Any]]:
    """Each return's document dict (as `return_snapshot` builds it), for all of them in one query."""
    entries: dict[int, list[dict[str, Any]]] = defaultdict(list)
    partners: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = (MonitoringEntry.objects.filter(monitoring_return__in=[r.pk for r in returns])
            .select_related("budget_line__partner").order_by("monitoring_return_id", "position", "id"))
    for entry in rows:
        line = entry.budget_line
        partners[entry.monitoring_return_id].setdefault(str(line.partner_id), partner_entry(line.partner))
        entries[entry.monitoring_return_id].append(
            entry_dict(entry.pk, entry.position, {f: getattr(entry, f) for f in ENTRY_FIELDS}, line))
    return {r.pk: return_dict(r, r.schedule, r.schedule.agreement, partners[r.pk], entries[r.pk]) for r in returns}


def limits_by_agreement(returns: list[MonitoringReturn]) -> dict[int, Limits]:
    """Each agreement's amber/red thresholds (the defaults where none are set), in one query."""
    ids = {r.schedule.agreement_id for r in returns}
    stored = {t.agreement_id: t for t in Thresholds.objects.filter(agreement_id__in=ids)}
    return {pk: Limits.of(stored.get(pk)) for pk in ids}


def return_json(monitoring_return: MonitoringReturn, document: dict[str, Any], limits: Limits) -> dict[str, Any]:
    """One return: its fields, each line's figures and flag (from `variance_of`), and its totals."""
    schedule = monitoring_return.schedule
    variance = variance_of(document, limits)
    counted = {line.entry["id"]: line for line in variance.lines}
    lines = []
    for entry in document["entries"]:
        line = counted.get(entry["id"])
        name = document["partners"].get(str(entry["partner_id"]), {}).get("name", "")
        lines.append({
            "id": entry["id"], "budget_line": entry["budget_line_id"], "service": entry["service"],
            "partner": entry["partner_id"], "partner_name": name, "budget_type": entry["budget_type"],
            "budget": entry["budget"], "budget_status": entry["budget_status"],
            "ring_fenced_public_health": entry["ring_fenced_public_health"],
            "actual_to_date": entry["actual_to_date"], "forecast_outturn": entry["forecast_outturn"],
            "notes": entry["notes"], "counted": line is not None,
            "variance": money(line.variance) if line else None,
            "variance_percent": _percent(line.percent) if line else None,
            "flag": flag_json(line.flag) if line else None,
            "forecast_below_actual": line.forecast_below_actual if line else False,
        })
    year, period = monitoring_return.financial_year, monitoring_return.period
    return {
        "id": monitoring_return.pk, "agreement": schedule.agreement.reference, "schedule": schedule.pk,
        "schedule_number": schedule.number, "financial_year": year, "financial_year_label": financial_year_label(year),
        "period": period, "period_label": f"P{period}", "month": period_month(period), "note": monitoring_return.note,
        "etag": document_etag(monitoring_return), "thresholds": limits.describe(), "lines": lines,
        "total": figures_json(variance.total),
    }


def returns_json(returns: list[MonitoringReturn]) -> list[dict[str, Any]]:
    documents, limits = return_documents(returns), limits_by_agreement(returns)
    return [return_json(r, documents[r.pk], limits[r.schedule.agreement_id]) for r in returns]


def report_json(report: dict[str, Any], monitoring_return: MonitoringReturn) -> dict[str, Any]:
    """The finance report's figures (`build_report`'s dict): lines, groupings, total, risk share, path."""
    variance = report["body"]["variance"]
    state = report["state"]
    version = state.version if (state.version is not None and not state.draft) else None
    return {
        "monitoring_return": monitoring_return.pk, "title": report["title"], "status": report["status_words"],
        "version": version.number if version else None,
        "thresholds": report["body"]["limits"].describe(),
        "lines": [{**figures_json(line), "budget_line": line.entry.get("budget_line_id"), "partner": line.partner,
                   "notes": line.notes, "forecast_below_actual": line.forecast_below_actual}
                  for line in variance.lines],
        "not_counted": [{"budget_line": e.get("budget_line_id"), "service": e["service"], "partner": e["partner"],
                         "budget_words": e["budget_words"], "actual_to_date": e.get("actual_to_date"),
                         "forecast_outturn": e.get("forecast_outturn")} for e in variance.apart],
        "by_service": [figures_json(group) for group in variance.by_service],
        "by_partner": [figures_json(group) for group in variance.by_partner],
        "total": figures_json(variance.total),
        "risk_share": {
            "rule": report["rule"], "rule_is_default": report["rule_is_default"], "rounding": report["rounding"],
            "shares": [{"partner": name, "amount": money(amount)} for name, amount in report["shares"]],
        },
        "forecast_path": [{"period": p["period"], "budget": money(p["budget"]), "actual_to_date": money(p["actual"]),
                           "forecast_outturn": money(p["forecast"]), "variance": money(p["variance"])}
                          for p in report["path"]],
        "ring_fenced_public_health": [{"quarter": q["quarter"], "period": q["period"], "actual": money(q["actual"])}
                                      for q in report["ring_fenced"]],
    }
