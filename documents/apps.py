from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Revisions, versions and decisions"

    def ready(self) -> None:
        from documents import history_rows  # noqa: F401  (connects the revision link)
