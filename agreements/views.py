"""Pages for agreements and schedules: thin views over selectors, presenters and services.

Their history pages are the kernel's (`documents.history_views`): each URL's view below fetches
the schedule or agreement through the user's scope, wraps it in a `VersionedDocument` and hands
it over.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from agreements import selectors
from agreements.budget_values import financial_year_label
from agreements.forms import (
    STATUS_FILTER_CHOICES,
    AgreementEditForm,
    ScheduleCreateForm,
    ScheduleEditForm,
    agreement_item_lists,
    schedule_item_lists,
)
from agreements.home import render_home_panels
from agreements.models import Agreement, Schedule
from agreements.pdf import agreement_pack_pdf, schedule_pdf
from agreements.presenters import (
    AGREEMENT,
    SCHEDULE,
    budget_year,
    present_agreement,
    present_schedule,
)
from agreements.sections import AGREEMENT_SECTIONS, SCHEDULE_SECTIONS
from agreements.selectors import agreement_for, agreements_visible_to, schedule_for
from agreements.services import agreements as agreement_services
from agreements.services import schedules as schedule_services
from agreements.services.agreements import agreement_update
from agreements.services.schedules import schedule_create, schedule_next_number, schedule_update
from agreements.services.variations import open_entry
from agreements.snapshots import agreement_queryset, agreement_snapshot, schedule_queryset, schedule_snapshot
from agreements.variation_selectors import variations_record
from documents.editing import EditPage, handle_edit_post, read_lists
from documents.forms import DateChoice
from documents.money import money
from documents.registry import VersionedDocument
from documents.revisions import agreed_state, latest_revision
from documents.sections import section_links
from documents.views import pdf_download
from partnerships.access import Capability, can, require


@login_required
def home(request):
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()
    if status not in dict(STATUS_FILTER_CHOICES):
        status = ""
    agreements = list(selectors.home_agreements(agreements_visible_to(request.user), status=status, search=search))
    for agreement in agreements:
        agreement.review_flag = selectors.review_flag(agreement.review_due)
    return render(request, "agreements/home.html", {
        "agreements": agreements, "status": status, "search": search, "status_choices": STATUS_FILTER_CHOICES,
        "home_panels": render_home_panels(request),
    })


@login_required
def agreement_detail(request, reference: str):
    agreement = agreement_for(request.user, reference, agreement_queryset())
    snapshot = agreement_snapshot(agreement)
    year = None
    latest_year = selectors.latest_budget_year(agreement)
    rows, year_label = selectors.agreement_schedules(agreement)
    if not any(row.totals for row in rows) and latest_year is not None:
        rows, year_label = selectors.agreement_schedules(agreement, latest_year)
        year = latest_year
    version, draft = agreed_state(agreement)
    return render(request, "agreements/agreement_detail.html", {
        "agreement": agreement, "doc": present_agreement(snapshot), "schedule_rows": rows,
        "budget_year_label": year_label, "budget_year_is_current": year is None,
        "review_flag": selectors.review_flag(agreement.review_due),
        "version": version, "draft": draft, "boards": agreement.boards.select_related("terms"),
        "can_edit": can(request.user, Capability.EDIT_AGREEMENT),
        "can_agree": can(request.user, Capability.AGREE_VERSIONS),
        "can_edit_budgets": can(request.user, Capability.EDIT_BUDGETS),
        "next_number": schedule_next_number(agreement), "variations": variations_record(agreement),
        "change_links": section_links(AGREEMENT_SECTIONS, "agreement_section_edit", [agreement.reference])
        if can(request.user, Capability.EDIT_AGREEMENT) else None,
    })


@login_required
def schedule_detail(request, reference: str, number: int):
    schedule, snapshot = selectors.schedule_with_rows(request.user, reference, number)
    latest, version, draft = selectors.document_state(schedule)
    doc = present_schedule(snapshot)
    return render(request, "agreements/schedule_detail.html", {
        "schedule": schedule, "agreement": schedule.agreement, "doc": doc,
        "budget_year": budget_year(doc["budget_tables"], request.GET.get("year", "")),
        "version": version, "draft": draft, "latest": latest,
        "can_edit": can(request.user, Capability.EDIT_AGREEMENT),
        "can_edit_budgets": can(request.user, Capability.EDIT_BUDGETS),
        "can_agree": can(request.user, Capability.AGREE_VERSIONS),
        "open_variation": _open_variation(schedule),
        "change_links": section_links(SCHEDULE_SECTIONS, "schedule_section_edit", [schedule.agreement.reference, schedule.number])
        if can(request.user, Capability.EDIT_AGREEMENT) else None,
    })


def _open_variation(document):
    entry = open_entry(document)
    return entry.variation if entry is not None else None


def edit_variation(request, document, context: dict[str, Any]):
    """The open variation this edit is part of (the page was opened from it: ?variation=N), if any; the
    page shows which variation holds the document, and the service refuses an edit outside it."""
    variation = _open_variation(document)
    if variation is not None and request.GET.get("variation") == str(variation.number):
        context["in_variation"] = variation
        return variation
    context["open_variation"] = variation
    return None


def schedule_form_document(form, lists: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    data = form.cleaned_data
    fields = {name: data[name] for name in form.Meta.fields if name in data and name not in ("lead_commissioner", "host")}
    for name in ("lead_commissioner", "host"):
        if name in data:  # a section page may not hold them
            fields[f"{name}_id"] = data[name].pk if data[name] else None
    return {"fields": fields, **lists}


def schedule_lists(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    lists = {name: [dict(item) for item in snapshot[name]] for name in ("aims", "outcomes", "strategy_documents", "kpis", "risks")}
    lists["specification"] = [
        {"id": s["id"], "heading": s["heading"], "paragraphs": [dict(p) for p in s["paragraphs"]]}
        for s in snapshot["specification"]
    ]
    lists["budget_lines"] = [
        {**line, "partner_id": str(line["partner_id"]), "financial_year": financial_year_label(line["financial_year"]),
         "amount": money(line["amount"])}
        for line in snapshot["budget_lines"]
    ]
    return lists


@login_required
def schedule_edit(request, reference: str, number: int):
    schedule = schedule_for(request.user, reference, number)
    require(request.user, Capability.EDIT_AGREEMENT)
    agreement = schedule.agreement
    specs = schedule_item_lists(agreement)
    context = {"schedule": schedule, "agreement": agreement, "latest": latest_revision(schedule)}
    variation = edit_variation(request, schedule, context)
    if request.method == "POST":
        form = ScheduleEditForm(request.POST, instance=schedule, agreement=agreement)
        page = EditPage(request, form, specs, read_lists(request, specs), "agreements/schedule_edit.html", context)
        return handle_edit_post(
            page,
            to_document=schedule_form_document,
            save=lambda document: schedule_update(
                schedule=schedule, document=document, user=request.user, reason=form.cleaned_data["reason"],
                expected_edit_count=form.cleaned_data.get("edit_count"), variation=variation,
            ),
            success_url=reverse("schedule", args=[agreement.reference, schedule.number]),
            success_message=f"Schedule {schedule.number} saved. The change is in its history.",
        )
    snapshot = schedule_snapshot(schedule_queryset().get(pk=schedule.pk))
    form = ScheduleEditForm(instance=schedule, agreement=agreement, initial={"edit_count": schedule.edit_count})
    return EditPage(request, form, specs, schedule_lists(snapshot), "agreements/schedule_edit.html", context).render()


@login_required
def schedule_add(request, reference: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_AGREEMENT)
    specs = {name: spec for name, spec in schedule_item_lists(agreement).items() if name != "budget_lines"}
    next_number = schedule_next_number(agreement)
    context = {"agreement": agreement, "next_number": next_number, "adding": True}
    if request.method == "POST":
        form = ScheduleCreateForm(request.POST, agreement=agreement)
        page = EditPage(request, form, specs, read_lists(request, specs), "agreements/schedule_edit.html", context)
        return handle_edit_post(
            page, to_document=schedule_form_document,
            save=lambda document: schedule_create(
                agreement=agreement, document=document, user=request.user, reason=form.cleaned_data["reason"]
            ),
            success_url=lambda created: reverse("schedule", args=[agreement.reference, created.number]),
            success_message=lambda created: f"Schedule {created.number} added to {agreement.reference}.",
        )
    form = ScheduleCreateForm(
        agreement=agreement,
        initial={"number": next_number, "agreement_type": "Section 75", "status": "draft",
                 "specification_title": "Outline specification"},
    )
    lists = {name: [] for name in specs}
    return EditPage(request, form, specs, lists, "agreements/schedule_edit.html", context).render()


def agreement_form_document(form, lists: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"fields": {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}, **lists}


def agreement_lists(snapshot: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        "parties": [{**p, "partner_id": str(p["partner_id"])} for p in snapshot["parties"]],
        "clauses": [dict(c) for c in snapshot["clauses"]],
    }


@login_required
def agreement_edit(request, reference: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_AGREEMENT)
    specs = agreement_item_lists()
    context = {"agreement": agreement, "latest": latest_revision(agreement)}
    variation = edit_variation(request, agreement, context)
    if request.method == "POST":
        form = AgreementEditForm(request.POST, instance=agreement)
        page = EditPage(request, form, specs, read_lists(request, specs), "agreements/agreement_edit.html", context)
        return handle_edit_post(
            page, to_document=agreement_form_document,
            save=lambda document: agreement_update(
                agreement=agreement, document=document, user=request.user, reason=form.cleaned_data["reason"],
                expected_edit_count=form.cleaned_data.get("edit_count"), variation=variation,
            ),
            success_url=reverse("agreement", args=[agreement.reference]),
            success_message="Agreement saved. The change is in its history.",
        )
    lists = agreement_lists(agreement_snapshot(agreement_queryset().get(pk=agreement.pk)))
    form = AgreementEditForm(instance=agreement, initial={"edit_count": agreement.edit_count})
    return EditPage(request, form, specs, lists, "agreements/agreement_edit.html", context).render()


# ----------------------------------------------------------------------------- history (the kernel's pages)


def schedule_document(schedule: Schedule) -> VersionedDocument:
    return VersionedDocument(
        type=SCHEDULE, obj=schedule,
        label=f"Schedule {schedule.number}", title=f"Schedule {schedule.number} — {schedule.title}",
        url_prefix="schedule", url_args=[schedule.agreement.reference, schedule.number],
        restore=lambda *, revision, user, reason, expected_revision: schedule_services.schedule_restore(
            schedule=schedule, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        breadcrumbs=[
            ("My agreements", reverse("home")),
            (schedule.agreement.reference, reverse("agreement", args=[schedule.agreement.reference])),
            (f"Schedule {schedule.number}", reverse("schedule", args=[schedule.agreement.reference, schedule.number])),
        ],
    )


ACTIVITY_LINK_TEXT = "Activity: every change to the agreement and its schedules"


def agreement_document(agreement: Agreement) -> VersionedDocument:
    return VersionedDocument(
        type=AGREEMENT, obj=agreement, label=agreement.reference, title=f"{agreement.reference}: {agreement.title}",
        url_prefix="agreement", url_args=[agreement.reference],
        restore=lambda *, revision, user, reason, expected_revision: agreement_services.agreement_restore(
            agreement=agreement, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        breadcrumbs=[("My agreements", reverse("home")), (agreement.reference, reverse("agreement", args=[agreement.reference]))],
        related_links=[(ACTIVITY_LINK_TEXT, reverse("agreement_activity", args=[agreement.reference]))],
    )


def load_schedule_document(request, reference: str, number: int) -> VersionedDocument:
    """Schedule N on its history pages, if the user's partner is party to the agreement (404 otherwise)."""
    return schedule_document(schedule_for(request.user, reference, number))


def load_agreement_document(request, reference: str) -> VersionedDocument:
    """The agreement on its history pages, if the user's partner is party to it (404 otherwise)."""
    return agreement_document(agreement_for(request.user, reference))


# PDF downloads: the kernel's pdf_download reads the version or date asked for ----------------


@login_required
def schedule_pdf_download(request, reference: str, number: int):
    """Schedule N as a PDF: now, ?version=N, or as it stood on a date."""
    found = schedule_for(request.user, reference, number)
    choice = DateChoice(
        f"Schedule {number}", reverse("pdf:schedule", args=[reference, number]),
        reverse("schedule", args=[reference, number]), f"Back to Schedule {number}",
    )
    return pdf_download(request, choice, lambda **when: schedule_pdf(found, **when))


@login_required
def agreement_pack_download(request, reference: str):
    """The agreement pack as a PDF: now or as it stood on a date (a pack has no versions of its own)."""
    agreement = agreement_for(request.user, reference)
    choice = DateChoice(
        "the agreement", reverse("pdf:pack", args=[reference]), reverse("agreement", args=[reference]),
        f"Back to {reference}",
    )
    return pdf_download(
        request, choice, lambda version, as_of: agreement_pack_pdf(agreement, as_of=as_of),
        no_versions="The agreement pack is printed now or as it stood on a date (?as_of=YYYY-MM-DD).",
    )
