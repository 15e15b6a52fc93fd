from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Agreements and schedules"

    def ready(self) -> None:
        from agreements.due import KINDS, VARIATION_KINDS, agreement_items, variation_items
        from agreements.home import register_home_panel
        from agreements.presenters import AGREEMENT, SCHEDULE
        from agreements.variation_selectors import home_waiting_context
        from documents.registry import register
        from partnerships.due import register_due_kind

        register(SCHEDULE)
        register(AGREEMENT)
        register_home_panel("agreements/home_variations.html", home_waiting_context)
        for kind in KINDS:
            register_due_kind(kind, agreement_items)
        for kind in VARIATION_KINDS:
            register_due_kind(kind, variation_items)
