from django.contrib import admin
from django.urls import include, path

from agreements.urls import pdf_urlpatterns as agreement_pdfs
from governance.urls import pdf_urlpatterns as governance_pdfs

admin.site.site_header = "Section 75 agreements: administration"
admin.site.site_title = "Section 75 agreements admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api_urls", "api"))),
    path("", include("partnerships.urls")),
    path("", include("agreements.urls")),
    path("", include("governance.urls")),
    path("", include("budgets.urls")),
    # PDF downloads, each app's own, under one namespace: "pdf:schedule", "pdf:pack", "pdf:terms".
    path("", include(([*agreement_pdfs, *governance_pdfs], "pdf"))),
]

handler403 = "config.errors.forbidden"
handler404 = "config.errors.not_found"

# Uploaded budget files (kept in the database, documents/storage.py) are never served to users, not
# even in development: they are evidence kept for the record, read by the import code and
# downloadable by superusers only, from the admin.
