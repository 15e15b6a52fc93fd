from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Boards and terms of reference"

    def ready(self) -> None:
        from agreements.activity import register_activity_source
        from agreements.home import register_home_panel
        from agreements.pdf import register_annex
        from documents.registry import register
        from governance.activity import agreement_terms
        from governance.due import KINDS, board_items
        from governance.home import HOME_REVIEWS_TEMPLATE, home_reviews_context
        from governance.pdf import terms_annexes
        from governance.presenters import BOARD, TERMS
        from partnerships.due import register_due_kind

        register(TERMS)
        register(BOARD)
        register_activity_source(agreement_terms)  # the managing boards' terms in the agreement's activity
        register_home_panel(HOME_REVIEWS_TEMPLATE, home_reviews_context)
        register_annex(terms_annexes)  # the managing boards' terms print as annexes of the agreement pack
        for kind in KINDS:
            register_due_kind(kind, board_items)
