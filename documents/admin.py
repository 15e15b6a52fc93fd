"""The admin for superusers: decisions, revisions and agreed versions, which every document shares,
and the bases every versioned document's admin builds on.

A revision or a version is part of a document's record: nobody adds one here, and only a
superuser may change or delete one. A decision behind an agreed version is part of that
version's record too. `DocumentRevisionAdmin` saves an admin edit of a document as one revision
of kind "admin"; `HistoryAdmin` keeps simple-history's pages read-only; `CleanTextInputs`
reads admin text areas as the write services store text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from documents.forms import CleanTextField
from documents.models import Decision, Revision, RevisionKind, StoredFile, Version
from documents.revisions import revision_scope, versions_of


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


# ----------------------------------------------------------------------------- bases for every document's admin


class CleanTextInputs:
    """Admin text areas read CRLF as LF: an untouched field is not a change and never reaches the history."""

    formfield_overrides = {models.TextField: {"form_class": CleanTextField}}


class HistoryAdmin(CleanTextInputs, SimpleHistoryAdmin):
    """SimpleHistoryAdmin with the history pages read-only: no revert, for anyone.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the button; a POST to a historical record's page
    would still save it, so refuse the POST here.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("History cannot be changed.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False


def admin_reason(form: forms.ModelForm, formsets: list, change: bool) -> str:
    """ "Edited in the admin: title; outcomes", naming the fields and child lists that changed."""
    if not change:
        return "Added in the admin"
    parts = [str(form.fields[name].label or name) for name in form.changed_data if name in form.fields]
    parts += [str(formset.model._meta.verbose_name_plural) for formset in formsets if formset.has_changed()]
    return "Edited in the admin: " + "; ".join(parts) if parts else "Edited in the admin"


class DocumentRevisionAdmin(HistoryAdmin):
    """Saves of a versioned document (the object itself or its parent) as one revision of kind "admin".

    Django's changeform_view already runs in a transaction; the parent and every inline are
    saved in save_related inside one revision_scope, so the history rows of the parent and its
    child rows share the revision and the revision's snapshot is the document after the save.
    """

    snapshot: Callable[[int], dict[str, Any]]

    def revision_document(self, obj: models.Model) -> models.Model:
        """The versioned document that `obj` belongs to (itself, unless overridden)."""
        return obj

    def save_model(self, request, obj, form, change) -> None:
        """Saved in save_related, inside the revision."""

    def save_related(self, request, form, formsets, change) -> None:
        obj = form.instance
        if change and not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            super().save_related(request, form, formsets, change)  # writes nothing; the admin's log needs it
            return  # nothing changed: no history entry
        reason = admin_reason(form, formsets, change)
        obj._history_user = request.user
        document = self.revision_document(obj)
        snapshot = type(self).snapshot
        if document is obj and obj._state.adding:
            obj._change_reason = reason
            obj.save()
            del obj._change_reason
            with revision_scope(
                document=obj, snapshot=snapshot, user=request.user, reason=reason, kind=RevisionKind.ADMIN
            ) as revision:
                # The first historical row was written before the revision existed: link it.
                type(obj).history.filter(id=obj.pk).update(
                    revision=revision, history_date=revision.created_at, history_user=revision.user
                )
                super().save_related(request, form, formsets, change)
            return
        with revision_scope(
            document=document, snapshot=snapshot, user=request.user, reason=reason, kind=RevisionKind.ADMIN
        ):
            obj.save()
            if hasattr(document, "edit_count"):
                # Anyone with the edit page open must now reload before saving over this change.
                type(document).objects.filter(pk=document.pk).update(edit_count=F("edit_count") + 1)
            super().save_related(request, form, formsets, change)


class ProtectAgreedDocumentAdmin(DocumentRevisionAdmin):
    """No deleting a document with agreed versions, and no bulk delete that would skip the check."""

    def has_agreed_versions(self, obj: models.Model) -> bool:
        return versions_of(obj).exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self.has_agreed_versions(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj) -> None:
        obj._history_user = request.user
        obj._change_reason = "Deleted in the admin"
        obj.delete()


# ----------------------------------------------------------------------------- decisions, revisions, versions


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


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Files kept in the database: listed for superusers, downloaded as attachments, never changed here."""

    list_display = ["name", "size", "created_at"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    exclude = ["content"]
    readonly_fields = ["name", "size", "created_at"]

    def get_urls(self):
        download = self.admin_site.admin_view(self.download)
        return [path("download/<path:name>", download, name="documents_storedfile_download"), *super().get_urls()]

    def download(self, request: HttpRequest, name: str):
        if not superuser_only(request):
            raise PermissionDenied
        stored = StoredFile.objects.filter(name=name).only("name", "content").first()
        if stored is None:
            raise Http404("No such file")
        return FileResponse(io.BytesIO(bytes(stored.content)), as_attachment=True,
                            filename=name.rsplit("/", 1)[-1])

    def has_view_permission(self, request, obj=None) -> bool:
        return superuser_only(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return superuser_only(request)
