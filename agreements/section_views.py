"""A schedule's or an agreement's sections, each changed on a short page of its own
(`documents.sections`), from the "Change" links on the document's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from agreements.forms import AgreementEditForm, ScheduleEditForm, agreement_item_lists, schedule_item_lists
from agreements.sections import AGREEMENT_SECTIONS, SCHEDULE_SECTIONS
from agreements.selectors import agreement_for, schedule_for
from agreements.services.agreements import agreement_update
from agreements.services.schedules import schedule_update
from agreements.snapshots import agreement_queryset, agreement_snapshot, schedule_queryset, schedule_snapshot
from agreements.views import (
    agreement_document,
    agreement_form_document,
    agreement_lists,
    edit_variation,
    schedule_document,
    schedule_form_document,
    schedule_lists,
)
from documents.sections import SectionPage, edit_section, find_section
from partnerships.access import Capability, require


@login_required
def schedule_section_edit(request, reference: str, number: int, section: str):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_AGREEMENT)
    chosen = find_section(SCHEDULE_SECTIONS, section)
    agreement = schedule.agreement
    context = {"schedule": schedule, "agreement": agreement}
    variation = edit_variation(request, schedule, context)
    page = SectionPage(
        doc_ref=schedule_document(schedule), instance=schedule, form_class=ScheduleEditForm,
        form_kwargs={"agreement": agreement}, specs=schedule_item_lists(agreement),
        current_lists=lambda: schedule_lists(schedule_snapshot(schedule_queryset().get(pk=schedule.pk))),
        to_document=schedule_form_document,
        save=lambda form, document: schedule_update(
            schedule=schedule, document=document, user=request.user, reason=form.cleaned_data["reason"],
            expected_edit_count=form.cleaned_data.get("edit_count"), variation=variation,
        ),
        document_url=reverse("schedule", args=[agreement.reference, schedule.number]),
        edit_all_url=reverse("schedule_edit", args=[agreement.reference, schedule.number]), context=context,
    )
    return edit_section(request, page, chosen)


@login_required
def agreement_section_edit(request, reference: str, section: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_AGREEMENT)
    chosen = find_section(AGREEMENT_SECTIONS, section)
    context = {"agreement": agreement}
    variation = edit_variation(request, agreement, context)
    page = SectionPage(
        doc_ref=agreement_document(agreement), instance=agreement, form_class=AgreementEditForm,
        specs=agreement_item_lists(),
        current_lists=lambda: agreement_lists(agreement_snapshot(agreement_queryset().get(pk=agreement.pk))),
        to_document=agreement_form_document,
        save=lambda form, document: agreement_update(
            agreement=agreement, document=document, user=request.user, reason=form.cleaned_data["reason"],
            expected_edit_count=form.cleaned_data.get("edit_count"), variation=variation,
        ),
        document_url=reverse("agreement", args=[agreement.reference]),
        edit_all_url=reverse("agreement_edit", args=[agreement.reference]), context=context,
    )
    return edit_section(request, page, chosen)
