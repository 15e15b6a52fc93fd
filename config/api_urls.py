"""The REST API, version 1: each app's viewsets under /api/v1/, the OpenAPI schema and its docs.

A new app's API is one module: its viewsets in `<app>/api/views.py`, one `router.register` line
here (monitoring returns: `budgets/api/monitoring_views.py`).
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from agreements.api.views import AgreementViewSet, ScheduleViewSet
from budgets.api.monitoring_views import MonitoringReturnViewSet, ScheduleReturnReportView, ScheduleReturnView
from budgets.api.views import BudgetLineViewSet, ScheduleBudgetLinesView
from governance.api.views import BoardViewSet, TermsViewSet
from partnerships.api.views import PartnerViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("partners", PartnerViewSet, basename="partner")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("schedules", ScheduleViewSet, basename="schedule")
router.register("budget-lines", BudgetLineViewSet, basename="budgetline")
router.register("monitoring-returns", MonitoringReturnViewSet, basename="monitoringreturn")
router.register("boards", BoardViewSet, basename="board")
router.register("terms", TermsViewSet, basename="terms")

# Redoc's script is served from our own static files (drf-spectacular-sidecar); the docs page alone
# allows the styles Redoc writes into the page and its web worker.
docs_view = login_required(csp_update({
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["blob:"],
})(SpectacularRedocView.as_view(url_name="api:schema")))

PERIOD = "schedules/<int:pk>/monitoring-returns/<int:year>/<int:period>/"
urlpatterns = [
    path("schedules/<int:pk>/budget-lines/", ScheduleBudgetLinesView.as_view(), name="schedule-budget-lines"),
    path(f"{PERIOD}", ScheduleReturnView.as_view(), name="schedule-monitoring-return"),
    path(f"{PERIOD}report/", ScheduleReturnReportView.as_view(), name="schedule-monitoring-report"),
    *router.urls,
]
# Every read has an ETag (a document's own, or else a hash of the body) and answers If-None-Match
# with 304: Django's ConditionalGetMiddleware, on these views only.
for pattern in urlpatterns:
    pattern.callback = conditional_page(pattern.callback)
urlpatterns += [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
]
