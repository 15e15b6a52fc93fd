from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and schedules"

    def ready(self) -> None:
        from agreements.due import KINDS, agreement_items
        from agreements.presenters import AGREEMENT, SCHEDULE
        from documents.registry import register
        from partnerships.due import register_due_kind

        register(SCHEDULE)
        register(AGREEMENT)
        for kind in KINDS:
            register_due_kind(kind, agreement_items)
