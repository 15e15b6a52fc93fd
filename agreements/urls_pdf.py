"""PDF downloads: include("agreements.urls_pdf") in config/urls.py; names are "pdf:schedule", "pdf:pack", "pdf:terms"."""

from django.urls import path

from agreements import views_pdf

app_name = "pdf"

urlpatterns = [
    path("agreements/<str:reference>/pack.pdf", views_pdf.agreement_pack, name="pack"),
    path("agreements/<str:reference>/schedules/<int:number>.pdf", views_pdf.schedule, name="schedule"),
    path("boards/<int:pk>/terms.pdf", views_pdf.board_terms, name="terms"),
]
