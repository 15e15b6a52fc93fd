from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Boards and terms of reference"

    def ready(self) -> None:
        from agreements.home import register_home_panel
        from documents.registry import register
        from governance.home import HOME_REVIEWS_TEMPLATE, home_reviews_context
        from governance.presenters import TERMS

        register(TERMS)
        register_home_panel(HOME_REVIEWS_TEMPLATE, home_reviews_context)
