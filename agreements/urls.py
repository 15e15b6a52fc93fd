from django.urls import path

from agreements import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("agreements/<str:reference>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<str:reference>/history/", views.agreement_history, name="agreement_history"),
    path("agreements/<str:reference>/compare/", views.agreement_compare, name="agreement_compare"),
    path("agreements/<str:reference>/versions/<int:version>/", views.agreement_version, name="agreement_version"),
    path("agreements/<str:reference>/as-of/", views.agreement_as_of, name="agreement_as_of"),
    path("agreements/<str:reference>/agree/", views.agreement_agree, name="agreement_agree"),
    path("agreements/<str:reference>/restore/<int:revision>/", views.agreement_restore, name="agreement_restore"),
    path("agreements/<str:reference>/schedules/new/", views.schedule_add, name="schedule_add"),
    path("agreements/<str:reference>/schedules/<int:number>/", views.schedule_detail, name="schedule"),
    path("agreements/<str:reference>/schedules/<int:number>/edit/", views.schedule_edit, name="schedule_edit"),
    path("agreements/<str:reference>/schedules/<int:number>/history/", views.schedule_history, name="schedule_history"),
    path("agreements/<str:reference>/schedules/<int:number>/compare/", views.schedule_compare, name="schedule_compare"),
    path(
        "agreements/<str:reference>/schedules/<int:number>/versions/<int:version>/",
        views.schedule_version, name="schedule_version",
    ),
    path("agreements/<str:reference>/schedules/<int:number>/as-of/", views.schedule_as_of, name="schedule_as_of"),
    path("agreements/<str:reference>/schedules/<int:number>/agree/", views.schedule_agree, name="schedule_agree"),
    path(
        "agreements/<str:reference>/schedules/<int:number>/restore/<int:revision>/",
        views.schedule_restore, name="schedule_restore",
    ),
]

# Included by config/urls.py under the "pdf" namespace, with governance's: "pdf:pack", "pdf:schedule".
pdf_urlpatterns = [
    path("agreements/<str:reference>/pack.pdf", views.agreement_pack_download, name="pack"),
    path("agreements/<str:reference>/schedules/<int:number>.pdf", views.schedule_pdf_download, name="schedule"),
]
