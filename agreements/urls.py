from django.urls import path

from agreements import views, views_history

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("agreements/<str:reference>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<str:reference>/history/", views_history.agreement_history, name="agreement_history"),
    path("agreements/<str:reference>/compare/", views_history.agreement_compare, name="agreement_compare"),
    path("agreements/<str:reference>/versions/<int:version>/", views_history.agreement_version, name="agreement_version"),
    path("agreements/<str:reference>/as-of/", views_history.agreement_as_of, name="agreement_as_of"),
    path("agreements/<str:reference>/agree/", views_history.agreement_agree, name="agreement_agree"),
    path("agreements/<str:reference>/restore/<int:revision>/", views_history.agreement_restore, name="agreement_restore"),
    path("agreements/<str:reference>/schedules/new/", views.schedule_add, name="schedule_add"),
    path("agreements/<str:reference>/schedules/<int:number>/", views.schedule_detail, name="schedule"),
    path("agreements/<str:reference>/schedules/<int:number>/edit/", views.schedule_edit, name="schedule_edit"),
    path("agreements/<str:reference>/schedules/<int:number>/history/", views_history.schedule_history, name="schedule_history"),
    path("agreements/<str:reference>/schedules/<int:number>/compare/", views_history.schedule_compare, name="schedule_compare"),
    path(
        "agreements/<str:reference>/schedules/<int:number>/versions/<int:version>/",
        views_history.schedule_version, name="schedule_version",
    ),
    path("agreements/<str:reference>/schedules/<int:number>/as-of/", views_history.schedule_as_of, name="schedule_as_of"),
    path("agreements/<str:reference>/schedules/<int:number>/agree/", views_history.schedule_agree, name="schedule_agree"),
    path(
        "agreements/<str:reference>/schedules/<int:number>/restore/<int:revision>/",
        views_history.schedule_restore, name="schedule_restore",
    ),
]
