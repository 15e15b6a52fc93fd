from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self) -> None:
        from agreements.demo import register_demo_part
        from budgets.demo import load_monitoring_demo
        from budgets.monitoring.due import KINDS, monitoring_items
        from budgets.monitoring.presenters import MONITORING_RETURN, RISK_SHARE
        from documents.registry import register
        from partnerships.due import register_due_kind

        register(MONITORING_RETURN)
        register(RISK_SHARE)
        register_demo_part(load_monitoring_demo)
        for kind in KINDS:
            register_due_kind(kind, monitoring_items)
