from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Boards and terms of reference"

    def ready(self) -> None:
        from documents.registry import register
        from governance.presenters import BOARD, TERMS

        register(TERMS)
        register(BOARD)
