from django.urls import path

from agreements import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("agreements/<str:reference>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<str:reference>/schedules/new/", views.schedule_add, name="schedule_add"),
    path("agreements/<str:reference>/schedules/<int:number>/", views.schedule_detail, name="schedule"),
    path("agreements/<str:reference>/schedules/<int:number>/edit/", views.schedule_edit, name="schedule_edit"),
]
