"""The admin for superusers: agreements, schedules and their child rows (budget lines among them).

Variations and each party's decision on them are read-only here, for everyone: they change only
through the variation pages, whose services keep every party's decision pinned to what it saw.

Edits made here are written like any other write: each save is one revision of the document
(kind "admin"), with the user and a reason naming what changed. History is never edited or
deleted by anyone but a superuser, and documents with agreed versions cannot be deleted (the
bases that do this are the kernel's, in `documents.admin`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from agreements.models import (
    Agreement,
    Aim,
    BudgetLine,
    Clause,
    KeyPerformanceIndicator,
    Outcome,
    Party,
    PartyDecision,
    Risk,
    Schedule,
    SpecificationParagraph,
    SpecificationSection,
    StrategyDocument,
    Variation,
    VariationDocument,
)
from agreements.services.agreements import validate_party_mix, validate_status_change
from agreements.services.schedules import _check_number_never_used, schedule_delete, schedule_next_number
from agreements.snapshots import agreement_snapshot_by_id, schedule_snapshot_by_id
from documents.admin import CleanTextInputs, DocumentRevisionAdmin, ProtectAgreedDocumentAdmin
from documents.revisions import versions_of

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


class BudgetLineInline(CleanTextInputs, admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = [
        "position", "service", "partner", "financial_year", "budget_type", "amount", "status",
        "ring_fenced_public_health", "notes",
    ]
    autocomplete_fields = ["partner"]


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
            SpecificationSectionInline, BudgetLineInline,
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


# ----------------------------------------------------------------------------- variations (read-only)


class ReadOnlyAdmin:
    """Nobody adds, changes or deletes here, superusers included: only the variation pages write these."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VariationDocumentInline(ReadOnlyAdmin, admin.TabularInline):
    model = VariationDocument
    extra = 0
    fields = readonly_fields = ["position", "label", "open", "before", "version"]


class PartyDecisionInline(ReadOnlyAdmin, admin.TabularInline):
    model = PartyDecision
    extra = 0
    fields = readonly_fields = ["partner", "outcome", "decision", "reason", "recorded_by", "recorded_at", "illustrative"]
    show_change_link = True


@admin.register(Variation)
class VariationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["__str__", "agreement", "status", "effective_date", "proposed_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title", "agreement__reference"]
    list_select_related = ["agreement"]
    fields = readonly_fields = [
        "agreement", "number", "title", "summary", "effective_date", "status", "proposed_by", "proposed_at",
        "closed_at", "withdrawn_reason", "edit_count",
    ]
    inlines = [VariationDocumentInline, PartyDecisionInline]


@admin.register(PartyDecision)
class PartyDecisionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["__str__", "variation", "outcome", "recorded_at", "illustrative"]
    list_filter = ["outcome", "illustrative"]
    search_fields = ["partner__name", "variation__title", "variation__agreement__reference"]
    list_select_related = ["partner", "variation__agreement"]
    fields = readonly_fields = [
        "variation", "partner", "outcome", "decision", "reason", "variation_edit_count", "revisions",
        "recorded_by", "recorded_at", "illustrative", "notice_file",
    ]

    @admin.display(description="Decision notice")
    def notice_file(self, obj) -> str:
        notice = getattr(obj, "notice", None)
        return f"{notice.file_name} ({notice.size:,} bytes, SHA-256 {notice.sha256})" if notice else "None"
