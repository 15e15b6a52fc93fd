from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Boards and terms of reference"

    def ready(self) -> None:
        from agreements.pdf import register_annex
        from documents.registry import register
        from governance.pdf import terms_annexes
        from governance.presenters import TERMS

        register(TERMS)
        register_annex(terms_annexes)  # the managing boards' terms print as annexes of the agreement pack
