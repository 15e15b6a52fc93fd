"""Boards and their terms of reference; each admin save of a board or of the terms is one revision of kind "admin"."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.admin import CleanTextInputs, DocumentRevisionAdmin, ProtectAgreedDocumentAdmin
from governance.models import (
    AccountabilityLine,
    Board,
    Duty,
    FinancialGovernanceItem,
    MeetingChange,
    MeetingSchedule,
    Member,
    RemitItem,
    TermsOfReference,
    TermsSection,
)
from governance.snapshots import board_snapshot_by_id, terms_snapshot_by_id


@admin.register(Board)
class BoardAdmin(DocumentRevisionAdmin):
    snapshot = staticmethod(board_snapshot_by_id)
    list_display = ["name", "short_name", "reports_to", "agreement_count"]
    list_filter = ["reports_to"]
    search_fields = ["name", "short_name", "description"]
    filter_horizontal = ["agreements"]
    autocomplete_fields = ["reports_to"]
    list_select_related = ["reports_to"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agreements")

    @admin.display(description="Agreements")
    def agreement_count(self, board: Board) -> int:
        return len(board.agreements.all())


class TermsItemInline(CleanTextInputs, admin.StackedInline):
    extra = 0


class DutyInline(TermsItemInline):
    model = Duty
    fields = ["position", "label", "text"]


class AccountabilityLineInline(TermsItemInline):
    model = AccountabilityLine
    fields = ["position", "label", "reports_to", "reports_to_name", "frequency", "text"]


class FinancialGovernanceItemInline(TermsItemInline):
    model = FinancialGovernanceItem
    fields = ["position", "label", "text"]


class MemberInline(CleanTextInputs, admin.TabularInline):
    model = Member
    extra = 0
    fields = ["position", "role", "organisation", "organisation_name", "voting", "substitute"]
    autocomplete_fields = ["organisation"]


class RemitItemInline(TermsItemInline):
    model = RemitItem
    fields = ["position", "included", "text"]


class TermsSectionInline(TermsItemInline):
    model = TermsSection
    fields = ["position", "heading", "body"]


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(ProtectAgreedDocumentAdmin):
    snapshot = staticmethod(terms_snapshot_by_id)
    list_display = ["title", "board", "status", "chair_or_tbc", "review_due"]
    list_filter = ["status"]
    search_fields = ["title", "board__name", "purpose"]
    list_select_related = ["board"]
    readonly_fields = ["edit_count"]
    inlines = [
        DutyInline, AccountabilityLineInline, FinancialGovernanceItemInline, MemberInline, RemitItemInline,
        TermsSectionInline,
    ]

    @admin.display(description="Chair", ordering="chair")
    def chair_or_tbc(self, terms: TermsOfReference) -> str:
        return terms.chair or "To be confirmed"


class MeetingChangeInline(admin.TabularInline):
    model = MeetingChange
    extra = 0
    fields = ["scheduled_for", "moved_to"]


@admin.register(MeetingSchedule)
class MeetingScheduleAdmin(SimpleHistoryAdmin):
    """Support staff's view of a board's meeting pattern; commissioners use the board's meetings page."""

    list_display = ["board", "first_meeting", "every_months"]
    list_select_related = ["board"]
    search_fields = ["board__name"]
    inlines = [MeetingChangeInline]
