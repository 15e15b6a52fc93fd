"""The project's URLs with the budget pages, whether or not config/urls.py includes them yet."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns]
if not any(getattr(pattern, "app_name", None) == "budgets" for pattern in project_urlpatterns):
    urlpatterns.append(path("", include("budgets.urls")))
