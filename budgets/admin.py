"""Budget lines (each save a revision of their schedule) and the record of budget imports."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from agreements.documents import schedule_snapshot_by_id
from agreements.models import Schedule
from budgets.models import BudgetImport, BudgetLine
from documents.admin import CleanTextInputs, DocumentRevisionAdmin, superuser_only


class BudgetLineInline(CleanTextInputs, admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = [
        "position", "service", "partner", "financial_year", "budget_type", "amount", "status",
        "ring_fenced_public_health", "notes",
    ]
    autocomplete_fields = ["partner"]


@admin.register(BudgetLine)
class BudgetLineAdmin(DocumentRevisionAdmin):
    snapshot = staticmethod(schedule_snapshot_by_id)
    list_display = [
        "schedule", "service", "partner", "financial_year_label", "budget_type", "amount", "status",
        "ring_fenced_public_health",
    ]
    list_filter = ["financial_year", "budget_type", "status", "ring_fenced_public_health", "partner", "schedule"]
    search_fields = ["service", "notes", "partner__name", "partner__short_name", "schedule__title"]
    list_select_related = ["schedule__agreement", "partner"]
    autocomplete_fields = ["partner"]

    @admin.display(description="Financial year", ordering="financial_year")
    def financial_year_label(self, obj: BudgetLine) -> str:
        return obj.financial_year_label

    def revision_document(self, obj: BudgetLine) -> Schedule:
        return obj.schedule

    def get_readonly_fields(self, request, obj=None):
        return ["schedule"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # remove lines on the schedule's page, where the change is one revision


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
