"""The admin for superusers: agreements, schedules and their child rows.

Edits made here are written like any other write: each save is one revision of the document
(kind "admin"), with the user and a reason naming what changed. History is never edited or
deleted by anyone but a superuser, and documents with agreed versions cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F
from simple_history.admin import SimpleHistoryAdmin

from agreements.documents import agreement_snapshot_by_id, schedule_snapshot_by_id
from agreements.models import (
    Agreement,
    Aim,
    Clause,
    KeyPerformanceIndicator,
    Outcome,
    Party,
    Risk,
    Schedule,
    SpecificationParagraph,
    SpecificationSection,
    StrategyDocument,
)
from agreements.services.agreements import validate_party_mix, validate_status_change
from agreements.services.schedules import _check_number_never_used, schedule_delete, schedule_next_number
from documents.forms import CleanTextField
from documents.models import RevisionKind
from documents.revisions import revision_scope, versions_of

# ----------------------------------------------------------------------------- shared rules


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


# ----------------------------------------------------------------------------- agreements


class PartyFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        partners = [
            form.cleaned_data["partner"] for form in self.forms
            if form.cleaned_data.get("partner") and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_party_mix(partners)
        except ValidationError as error:
            raise ValidationError(error.message_dict["parties"]) from error


class PartyInline(admin.TabularInline):
    model = Party
    formset = PartyFormSet
    extra = 0
    autocomplete_fields = ["partner"]
    fields = ["position", "partner", "role"]


class ClauseInline(CleanTextInputs, admin.StackedInline):
    model = Clause
    extra = 0
    fields = ["position", "heading", "text"]


class AgreementForm(forms.ModelForm):
    """The agreement's fields (ModelAdmin supplies the model); status follows the lifecycle."""

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if self.instance.pk:
            validate_status_change(Agreement.objects.get(pk=self.instance.pk).status, status)
        return status


@admin.register(Agreement)
class AgreementAdmin(ProtectAgreedDocumentAdmin):
    snapshot = staticmethod(agreement_snapshot_by_id)
    form = AgreementForm
    list_display = ["reference", "title", "status", "dated", "review_due", "schedule_count"]
    list_filter = ["status"]
    search_fields = ["reference", "title"]
    readonly_fields = ["edit_count"]
    inlines = [PartyInline, ClauseInline]
    date_hierarchy = "dated"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(schedule_total=Count("schedules"))

    @admin.display(description="Schedules", ordering="schedule_total")
    def schedule_count(self, obj: Agreement) -> int:
        return obj.schedule_total

    def has_agreed_versions(self, obj: Agreement) -> bool:
        return super().has_agreed_versions(obj) or any(
            versions_of(schedule).exists() for schedule in obj.schedules.all()
        )


# ----------------------------------------------------------------------------- schedules


class ScheduleItemInline(CleanTextInputs, admin.TabularInline):
    extra = 0
    fields = ["position", "text"]


class AimInline(ScheduleItemInline):
    model = Aim


class OutcomeInline(ScheduleItemInline):
    model = Outcome


class StrategyDocumentInline(ScheduleItemInline):
    model = StrategyDocument


class KeyPerformanceIndicatorInline(ScheduleItemInline):
    model = KeyPerformanceIndicator


class RiskInline(CleanTextInputs, admin.StackedInline):
    model = Risk
    extra = 0
    fields = ["position", "risk", "mitigation"]


class SpecificationSectionInline(admin.TabularInline):
    model = SpecificationSection
    extra = 0
    fields = ["position", "heading"]
    show_change_link = True


def budget_line_inline():
    from budgets.admin import BudgetLineInline

    return BudgetLineInline


class ScheduleForm(forms.ModelForm):
    """The schedule's fields (ModelAdmin supplies the model); a new schedule never reuses a number."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        agreement, number = cleaned.get("agreement"), cleaned.get("number")
        if self.instance._state.adding and agreement is not None and number is not None:
            _check_number_never_used(agreement, number, None)
        return cleaned


@admin.register(Schedule)
class ScheduleAdmin(ProtectAgreedDocumentAdmin):
    snapshot = staticmethod(schedule_snapshot_by_id)
    form = ScheduleForm
    list_display = [
        "agreement", "number", "title", "status", "pooled_fund", "lead_commissioning",
        "integrated_provision", "aligned_budgets",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "agreement", "pooled_fund", "lead_commissioning", "integrated_provision", "aligned_budgets"]
    search_fields = ["title", "service_name", "agreement__reference", "agreement__title"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["lead_commissioner", "host"]
    readonly_fields = ["edit_count"]

    def get_inlines(self, request, obj):
        return [
            AimInline, OutcomeInline, StrategyDocumentInline, KeyPerformanceIndicatorInline, RiskInline,
            SpecificationSectionInline, budget_line_inline(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A schedule's number and agreement never change once it exists.
        return ["agreement", "number", "edit_count"] if obj is not None else ["edit_count"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        agreement = Agreement.objects.filter(pk=initial.get("agreement")).first()
        if agreement is not None:
            initial.setdefault("number", schedule_next_number(agreement))
        return initial

    def delete_model(self, request, obj: Schedule) -> None:
        try:
            schedule_delete(schedule=obj, user=request.user, reason="Deleted in the admin")
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)


class SpecificationParagraphInline(CleanTextInputs, admin.StackedInline):
    model = SpecificationParagraph
    extra = 0
    fields = ["position", "text", "list_items"]


@admin.register(SpecificationSection)
class SpecificationSectionAdmin(DocumentRevisionAdmin):
    snapshot = staticmethod(schedule_snapshot_by_id)
    list_display = ["heading", "schedule", "position"]
    list_filter = ["schedule__agreement"]
    search_fields = ["heading", "schedule__title"]
    list_select_related = ["schedule__agreement"]
    inlines = [SpecificationParagraphInline]

    def revision_document(self, obj: SpecificationSection) -> Schedule:
        return obj.schedule

    def get_readonly_fields(self, request, obj=None):
        return ["schedule"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # remove sections on the schedule's page, where the change is one revision
