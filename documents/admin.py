"""The admin for superusers: decisions, revisions and agreed versions, which every document shares.

A revision or a version is part of a document's record: nobody adds one here, and only a
superuser may change or delete one. A decision behind an agreed version is part of that
version's record too.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from documents.models import Decision, Revision, Version


def superuser_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class HistoricalRecordAdmin(admin.ModelAdmin):
    """For a historical model, Revision or Version: nobody adds; only a superuser changes or deletes."""

    @admin.display(description="Document")
    def document_label(self, obj) -> str:
        return str(obj.document) if obj.document is not None else f"{obj.content_type} {obj.object_id} (deleted)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return superuser_only(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return superuser_only(request)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["body", "decided_on", "reference", "key_decision"]
    list_filter = ["key_decision", "body"]
    search_fields = ["body", "reference", "summary"]
    date_hierarchy = "decided_on"

    # A decision behind an agreed version is part of that version's record: only a superuser may
    # correct it, and nobody may delete it (versions protect it).
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.versions.exists() and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


@admin.register(Revision)
class RevisionAdmin(HistoricalRecordAdmin):
    list_display = ["document_label", "created_at", "user", "kind", "reason"]
    list_filter = ["kind", "content_type"]
    search_fields = ["reason", "summary", "user__username"]
    list_select_related = ["user", "content_type"]
    date_hierarchy = "created_at"
    readonly_fields = ["content_type", "object_id", "created_at", "user", "kind", "snapshot"]
    fields = ["content_type", "object_id", "created_at", "user", "kind", "reason", "summary", "snapshot"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("document")


@admin.register(Version)
class VersionAdmin(HistoricalRecordAdmin):
    list_display = ["document_label", "number", "agreed_at", "agreed_by", "decision"]
    list_filter = ["content_type"]
    search_fields = ["decision__body", "decision__reference"]
    list_select_related = ["agreed_by", "content_type", "decision"]
    date_hierarchy = "agreed_at"
    readonly_fields = ["content_type", "object_id", "number", "revision", "agreed_at", "agreed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("document")
