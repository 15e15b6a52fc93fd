"""The API's rows of the authorisation matrix (`test_authorization_matrix.py` adds them to its MATRIX).

API endpoints answer an anonymous caller 401 (not a redirect to sign in), and an endpoint that
cannot be written answers 405 to every signed-in caller, outsiders included: the method is refused
before anything is looked up, so nothing about the object is revealed. A write endpoint is tried
with its own method (PATCH for a budget line, PUT for a period's monitoring figures) and an empty
body: a role that may write gets past the scope and role checks (to 400 or 428), the others get 404
or 403. Monitoring returns are the demo's Schedule 6 2018/19 P6 (presented, so it has version 1).
"""

from __future__ import annotations

from django.urls import reverse

from agreements.models import BudgetLine, Schedule
from budgets.monitoring.models import MonitoringReturn
from governance.models import TermsOfReference
from partnerships.models import Partner

C, F = "commissioner", "finance officer"

# name: (scope, roles that may write or None when it cannot be written, the write method)
API: dict[str, tuple[str, frozenset[str] | None, str]] = {
    "api:partner-list": ("global", None, "post"),
    "api:partner-detail": ("global", None, "post"),
    "api:agreement-list": ("global", None, "post"),
    "api:schedule-list": ("global", None, "post"),
    "api:budgetline-list": ("global", None, "post"),
    "api:board-list": ("global", None, "post"),
    "api:terms-list": ("global", None, "post"),
    "api:schema": ("global", None, "post"),
    **{f"api:agreement-{page}": ("haringey", None, "post")
       for page in ("detail", "as-of", "revisions", "versions", "version")},
    **{f"api:schedule-{page}": ("haringey", None, "post")
       for page in ("detail", "as-of", "revisions", "versions", "version")},
    **{f"api:board-{page}": ("board", None, "post") for page in ("detail", "as-of", "revisions")},
    **{f"api:terms-{page}": ("board", None, "post")
       for page in ("detail", "as-of", "revisions", "versions", "version")},
    **{f"api:monitoringreturn-{page}": ("haringey", None, "post")
       for page in ("detail", "report", "as-of", "revisions", "versions", "version")},
    "api:monitoringreturn-list": ("global", None, "post"),
    "api:schedule-monitoring-report": ("haringey", None, "post"),
    "api:schedule-monitoring-return": ("haringey", frozenset({C, F}), "put"),
    "api:schedule-budget-lines": ("haringey", frozenset({C, F}), "post"),
    "api:budgetline-detail": ("haringey", frozenset({C, F}), "patch"),
}


def api_url(name: str, world) -> str:
    h, b = world["args"]["haringey"], world["args"]["board"]
    schedule = Schedule.objects.get(agreement__reference=h["reference"], number=h["number"])
    if name in ("api:partner-detail",):
        return reverse(name, args=[Partner.objects.get(name="Haringey Council").pk])
    if name == "api:budgetline-detail":
        return reverse(name, args=[BudgetLine.objects.filter(schedule=schedule).first().pk])
    if name.endswith(("-list",)) or name == "api:schema":
        return reverse(name)
    year, period = world["args"]["haringey"]["period"][2:]
    if name in ("api:schedule-monitoring-return", "api:schedule-monitoring-report"):
        return reverse(name, args=[schedule.pk, year, period])
    kind, page = name.removeprefix("api:").split("-", 1)
    if kind == "monitoringreturn":
        pk = MonitoringReturn.objects.get(schedule=schedule, financial_year=year, period=period).pk
    else:
        pk = {"agreement": h["reference"], "schedule": schedule.pk, "board": b["pk"],
              "terms": TermsOfReference.objects.get(board_id=b["pk"]).pk}[kind]
    url = reverse(name, args=[pk, 1] if page == "version" else [pk])
    return url + "?date=2099-01-01" if page == "as-of" else url


def api_outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status in (401, 403, 404, 405):
        return str(status)
    return "ok"


def api_expected(name: str, method: str, role: str | None, insider: bool) -> str:
    scope, writers, _method = API[name]
    if role is None:
        return "401"
    if method != "get" and writers is None:
        return "405"
    if scope in ("haringey", "board") and not insider:
        return "404"
    if method == "get" or role in writers:
        return "ok"
    return "403"
