"""Pages for variations: propose, the variation's page, each party's decision or refusal, withdraw,
and the decision notice's download. Thin: scope and role checks, a form, one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from agreements.models import DecisionNotice
from agreements.selectors import agreement_for
from agreements.services import variations as services
from agreements.variation_forms import (
    AddDocumentForm,
    DeclineForm,
    PartyDecisionForm,
    VariationProposeForm,
    WithdrawForm,
)
from agreements.variation_selectors import changes_since, shown_revisions, variation_for, variation_record
from documents.pdf import file_name_part
from partnerships.access import Capability, can, require, user_partner


def _key(obj) -> str:
    return f"schedule-{obj.number}" if hasattr(obj, "number") else "agreement"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def variation_propose(request, reference: str):
    agreement = agreement_for(request.user, reference)
    require(request.user, Capability.EDIT_AGREEMENT)
    candidates = {_key(obj): obj for obj in services.variation_candidates(agreement)}
    choices = [(key, services.document_label(obj)) for key, obj in candidates.items()]
    form = VariationProposeForm(request.POST or None, candidates=choices)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                variation = services.variation_propose(
                    agreement=agreement, title=data["title"], summary=data["summary"],
                    effective_date=data["effective_date"], documents=[candidates[k] for k in data["documents"]],
                    user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"Variation {variation.number} proposed. Each party's legal officer can now "
                                          "record their decision.")
                return redirect("variation", agreement.reference, variation.number)
    return render(request, "agreements/variation_propose.html", {
        "agreement": agreement, "form": form, "has_candidates": bool(choices),
    }, status=400 if request.method == "POST" else 200)


@login_required
def variation_detail(request, reference: str, number: int):
    variation = variation_for(request.user, reference, number)
    record = variation_record(variation)
    partner = user_partner(request.user)
    mine = next((p for p in record.parties if partner is not None and p.partner_id == partner.pk), None)
    return render(request, "agreements/variation_detail.html", {
        "agreement": variation.agreement, "variation": variation, "record": record,
        "can_decide": variation.is_open and mine is not None and mine.decided is None
        and can(request.user, Capability.AGREE_VERSIONS),
        "can_change": variation.is_open and can(request.user, Capability.EDIT_AGREEMENT),
        "my_party": mine, "has_decisions": any(party.decided for party in record.parties),
    })


def _decision_page(request, reference: str, number: int, *, declining: bool):
    variation = variation_for(request.user, reference, number)
    require(request.user, Capability.AGREE_VERSIONS)
    partner = user_partner(request.user)
    form_class = DeclineForm if declining else PartyDecisionForm
    initial = {"edit_count": variation.edit_count, "shown": shown_revisions(variation)}
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    changed = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if declining:
                services.variation_decline(
                    variation=variation, partner=partner, reason=data["reason"], user=request.user,
                    expected_edit_count=data["edit_count"],
                )
            else:
                recorded = services.variation_decide(
                    variation=variation, partner=partner, decision=form.save(commit=False), user=request.user,
                    expected_edit_count=data["edit_count"], notice=data["notice"],
                )
        except ValidationError as error:
            _add_errors(form, error)
            variation.refresh_from_db()
            if isinstance(error, services.VariationChanged):
                changed = changes_since(variation, data.get("shown", ""))
            form.data = form.data.copy()
            form.data["edit_count"] = variation.edit_count  # the page now shows, and carries, what it carries now
            form.data["shown"] = shown_revisions(variation)
        else:
            variation.refresh_from_db()
            if declining:
                text = f"{partner.name} declined variation {variation.number}. The variation has stopped."
            elif variation.status == "agreed":
                text = (f"{recorded.partner.name}'s decision is recorded. Every party has agreed: variation "
                        f"{variation.number} has taken effect.")
            else:
                text = f"{recorded.partner.name}'s decision is recorded. The variation waits for the other parties."
            messages.success(request, text)
            return redirect("variation", reference, number)
    return render(request, "agreements/variation_decide.html", {
        "agreement": variation.agreement, "variation": variation, "record": variation_record(variation),
        "form": form, "declining": declining, "partner": partner, "changed": changed,
    }, status=400 if request.method == "POST" else 200)


@login_required
def variation_decide(request, reference: str, number: int):
    return _decision_page(request, reference, number, declining=False)


@login_required
def variation_decline(request, reference: str, number: int):
    return _decision_page(request, reference, number, declining=True)


@login_required
def variation_withdraw(request, reference: str, number: int):
    variation = variation_for(request.user, reference, number)
    require(request.user, Capability.EDIT_AGREEMENT)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.variation_withdraw(variation=variation, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Variation {variation.number} withdrawn. Its documents keep their drafts.")
            return redirect("variation", reference, number)
    return render(request, "agreements/variation_withdraw.html", {
        "agreement": variation.agreement, "variation": variation, "form": form,
    }, status=400 if request.method == "POST" else 200)


def _change_documents(request, variation, form, candidates, carried) -> str | None:
    """Add or remove the posted document; the success message, or None when the add form has errors."""
    if "remove" in request.POST:
        obj = carried.get(request.POST["remove"])
        if obj is None:
            raise ValidationError(f"\u201c{request.POST['remove'][:40]}\u201d is not a document variation "
                                  f"{variation.number} carries. Nothing was changed.")
        services.variation_remove_document(variation=variation, document=obj, user=request.user)
        return f"{services.document_label(obj)} removed from variation {variation.number}. It keeps its draft."
    if not form.is_bound:
        raise ValidationError("Choose a drafted document to add, or one the variation carries to remove. "
                              "Nothing was changed.")
    if not form.is_valid():
        return None
    obj = candidates[form.cleaned_data["document"]]
    services.variation_add_document(variation=variation, document=obj, user=request.user)
    return f"{services.document_label(obj)} added to variation {variation.number}."


@login_required
def variation_documents(request, reference: str, number: int):
    """Change what an open variation carries before any party decides: add a drafted document, or remove one."""
    variation = variation_for(request.user, reference, number)
    require(request.user, Capability.EDIT_AGREEMENT)
    agreement = variation.agreement
    candidates = {_key(obj): obj for obj in services.variation_candidates(agreement)}
    carried = {_key(obj): obj for _, obj in services.variation_objects(variation)}
    form = AddDocumentForm(request.POST if "add" in request.POST else None,
                           candidates=[(key, services.document_label(obj)) for key, obj in candidates.items()])
    errors: list[str] = []
    if request.method == "POST":
        try:
            text = _change_documents(request, variation, form, candidates, carried)
        except ValidationError as error:
            if form.is_bound:
                _add_errors(form, error)
            else:
                errors = error.messages
        else:
            if text is not None:
                messages.success(request, text)
                return redirect("variation", reference, number)
    return render(request, "agreements/variation_documents.html", {
        "agreement": agreement, "variation": variation, "record": variation_record(variation), "form": form,
        "has_candidates": bool(candidates), "carried": [(key, services.document_label(obj)) for key, obj in carried.items()],
        "extra_errors": errors, "has_decisions": variation.decisions.exists(),
    }, status=400 if request.method == "POST" else 200)


@login_required
def variation_notice(request, reference: str, number: int, decision: int):
    """A party's scanned decision notice, to anyone who may see the agreement, always as a download."""
    variation = variation_for(request.user, reference, number)
    notice = DecisionNotice.objects.filter(party_decision__variation=variation, party_decision_id=decision).first()
    if notice is None:
        raise Http404("No decision notice.")
    response = HttpResponse(bytes(notice.content), content_type="application/pdf")
    name = file_name_part(notice.file_name.removesuffix(".pdf")) or "decision-notice"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response



VARIATION = "agreements/<str:reference>/variations/<int:number>/"
urlpatterns = [
    path("agreements/<str:reference>/variations/new/", variation_propose, name="variation_propose"),
    path(VARIATION, variation_detail, name="variation"),
    path(f"{VARIATION}decide/", variation_decide, name="variation_decide"),
    path(f"{VARIATION}decline/", variation_decline, name="variation_decline"),
    path(f"{VARIATION}withdraw/", variation_withdraw, name="variation_withdraw"),
    path(f"{VARIATION}documents/", variation_documents, name="variation_documents"),
    path(f"{VARIATION}decisions/<int:decision>/notice.pdf", variation_notice, name="variation_notice"),
]
