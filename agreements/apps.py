from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and schedules"

    def ready(self) -> None:
        from agreements.presenters import AGREEMENT, SCHEDULE
        from documents.registry import register

        register(SCHEDULE)
        register(AGREEMENT)
