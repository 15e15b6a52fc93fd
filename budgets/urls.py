from django.urls import path

from budgets import views
from budgets.monitoring import (
    action_plan_views,
    agreement_report_views,
    import_views,
    report_views,
    risk_views,
    threshold_views,
)
from budgets.monitoring import views as monitoring
from documents.history_views import history_urlpatterns

app_name = "budgets"

SCHEDULE = "agreements/<str:reference>/schedules/<int:number>/budgets/"
AGREEMENT = "agreements/<str:reference>/budgets/"
MONITORING = "agreements/<str:reference>/schedules/<int:number>/monitoring/"
PERIOD = f"{MONITORING}<int:year>/P<int:period>/"
AGREEMENT_MONITORING = "agreements/<str:reference>/monitoring/"

urlpatterns = [
    path(f"{SCHEDULE}import/", views.import_upload, name="import"),
    path(f"{SCHEDULE}import/<str:token>/", views.import_preview, name="import_preview"),
    path(f"{SCHEDULE}import-template/<str:layout>.<str:file_format>", views.import_template, name="import_template"),
    path(f"{SCHEDULE}imports/<int:pk>/", views.import_result, name="import_result"),
    path(f"{SCHEDULE}export.<str:file_format>", views.schedule_export, name="schedule_export"),
    path(f"{SCHEDULE}reports/", views.schedule_reports, name="schedule_reports"),
    path(f"{SCHEDULE}reports.xlsx", views.schedule_reports_xlsx, name="schedule_reports_xlsx"),
    path(f"{AGREEMENT}export.<str:file_format>", views.agreement_export, name="agreement_export"),
    path(f"{AGREEMENT}import/", views.agreement_import, name="agreement_import"),
    path(f"{AGREEMENT}import/<str:token>/", views.agreement_import_preview, name="agreement_import_preview"),
    path(f"{AGREEMENT}import-template.<str:file_format>", views.agreement_import_template,
         name="agreement_import_template"),
    path(f"{AGREEMENT}reports/", views.agreement_reports, name="agreement_reports"),
    path(f"{AGREEMENT}reports.xlsx", views.agreement_reports_xlsx, name="agreement_reports_xlsx"),
    path(MONITORING, monitoring.monitoring, name="monitoring"),
    path(f"{MONITORING}import/", import_views.monitoring_import, name="monitoring_import"),
    path(f"{MONITORING}import/<str:token>/", import_views.monitoring_import_preview, name="monitoring_import_preview"),
    path(f"{MONITORING}risk-share/", risk_views.risk_share_edit, name="risk_share_edit"),
    path(f"{MONITORING}action-plans/<int:pk>/", action_plan_views.action_plan, name="action_plan"),
    path(f"{PERIOD}lines/<int:line>/action-plan/", action_plan_views.action_plan_new, name="action_plan_new"),
    path(PERIOD, monitoring.monitoring_period, name="return"),
    path(f"{PERIOD}edit/", monitoring.monitoring_edit, name="monitoring_edit"),
    path(f"{PERIOD}report/", report_views.finance_report, name="finance_report"),
    path(f"{PERIOD}report.pdf", report_views.finance_report_pdf, name="finance_report_pdf"),
    path(f"{PERIOD}report.xlsx", report_views.finance_report_xlsx, name="finance_report_xlsx"),
    path(AGREEMENT_MONITORING, agreement_report_views.agreement_finance_reports, name="agreement_finance_reports"),
    path(f"{AGREEMENT_MONITORING}thresholds/", threshold_views.thresholds_edit, name="thresholds_edit"),
    path(f"{AGREEMENT_MONITORING}<int:year>/P<int:period>/report/", agreement_report_views.agreement_finance_report,
         name="agreement_finance_report"),
    path(f"{AGREEMENT_MONITORING}<int:year>/P<int:period>/report.pdf",
         agreement_report_views.agreement_finance_report_pdf, name="agreement_finance_report_pdf"),
    path(f"{AGREEMENT_MONITORING}<int:year>/P<int:period>/report.xlsx",
         agreement_report_views.agreement_finance_report_xlsx, name="agreement_finance_report_xlsx"),
    *history_urlpatterns(PERIOD, "return", monitoring.load_return_document, agree_route="present/"),
]
