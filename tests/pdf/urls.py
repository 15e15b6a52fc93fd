"""The project's URLs plus the PDF downloads (until config/urls.py includes them)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_has_pdf = any(getattr(p, "namespace", None) == "pdf" for p in project_urlpatterns)
urlpatterns = [*project_urlpatterns] + ([] if _has_pdf else [path("", include("agreements.urls_pdf"))])
