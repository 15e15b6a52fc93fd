from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partners"

    def ready(self) -> None:
        from partnerships import request_logging  # noqa: F401  (connects the log receivers)
