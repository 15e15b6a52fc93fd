from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and schedules"

    def ready(self) -> None:
        from agreements import history_links  # noqa: F401  (connects the revision link)
        from agreements.presenters import AGREEMENT, SCHEDULE
        from documents.registry import register

        register(SCHEDULE)
        register(AGREEMENT)
