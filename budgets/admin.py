"""The record of budget imports (budget lines themselves are in the agreements admin, with their schedule)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from budgets.models import BudgetImport, Thresholds
from documents.admin import superuser_only


@admin.register(BudgetImport)
class BudgetImportAdmin(admin.ModelAdmin):
    """The record of an import is evidence: nobody adds or changes it; only a superuser deletes it."""

    list_display = [
        "filename", "schedule", "imported_by", "imported_at", "created_count", "changed_count",
        "unchanged_count", "file_link",
    ]
    list_filter = ["layout", "schedule__agreement"]
    search_fields = ["filename", "checksum", "schedule__title", "imported_by__username"]
    list_select_related = ["schedule__agreement", "imported_by"]
    date_hierarchy = "imported_at"
    readonly_fields = ["file_link"]

    @admin.display(description="File")
    def file_link(self, obj: BudgetImport) -> str:
        if not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.file.url, obj.filename)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return superuser_only(request)


@admin.register(Thresholds)
class ThresholdsAdmin(admin.ModelAdmin):
    """When an agreement's projected overspends turn amber or red (without a row: 1 %, 3 % or £50,000)."""

    list_display = ["agreement", "amber_percent", "red_percent", "red_amount"]
