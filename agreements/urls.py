from django.urls import path

from agreements import activity_views, budget_table_views, section_views, variation_views, views
from documents.history_views import history_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("agreements/<str:reference>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<str:reference>/edit/<slug:section>/", section_views.agreement_section_edit, name="agreement_section_edit"),
    path("agreements/<str:reference>/activity/", activity_views.agreement_activity, name="agreement_activity"),
    *history_urlpatterns("agreements/<str:reference>/", "agreement", views.load_agreement_document, agree_route=None),
    path("agreements/<str:reference>/schedules/new/", views.schedule_add, name="schedule_add"),
    path("agreements/<str:reference>/schedules/<int:number>/", views.schedule_detail, name="schedule"),
    path("agreements/<str:reference>/schedules/<int:number>/edit/", views.schedule_edit, name="schedule_edit"),
    path(
        "agreements/<str:reference>/schedules/<int:number>/edit/<slug:section>/", section_views.schedule_section_edit,
        name="schedule_section_edit",
    ),
    path("agreements/<str:reference>/schedules/<int:number>/budget-lines/", budget_table_views.schedule_budget_lines,
         name="schedule_budget_lines"),
    *history_urlpatterns(
        "agreements/<str:reference>/schedules/<int:number>/", "schedule", views.load_schedule_document, agree_route=None,
    ),
    *variation_views.urlpatterns,
]

# Included by config/urls.py under the "pdf" namespace, with governance's: "pdf:pack", "pdf:schedule".
pdf_urlpatterns = [
    path("agreements/<str:reference>/pack.pdf", views.agreement_pack_download, name="pack"),
    path("agreements/<str:reference>/schedules/<int:number>.pdf", views.schedule_pdf_download, name="schedule"),
]
