"""Reads for the variation pages, the agreement's variations record and the home page's panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import reverse

from agreements.models import (
    Agreement,
    DecisionNotice,
    PartyDecision,
    Schedule,
    Variation,
    VariationDocument,
    VariationStatus,
)
from agreements.selectors import agreement_for, agreements_visible_to
from agreements.services.variations import variation_objects
from documents.revisions import latest_revision
from partnerships.access import user_partner


@dataclass
class DocumentChange:
    label: str
    url: str  # the document's page
    compare_url: str  # before and after; the document's page when it had no version before
    new: bool  # it had no agreed version before (a new schedule)


@dataclass
class PartyLine:
    name: str
    partner_id: int
    decided: PartyDecision | None = None


@dataclass
class VariationRecord:
    variation: Variation
    url: str
    changes: list[DocumentChange] = field(default_factory=list)
    parties: list[PartyLine] = field(default_factory=list)

    @property
    def events(self) -> list[tuple[Any, str]]:
        """The variation's history as one unit: proposed, each party's decision, and how it ended."""
        v = self.variation
        who = (v.proposed_by.get_full_name() or v.proposed_by.username) if v.proposed_by else "the system"
        events = [(v.proposed_at, f"Proposed by {who}, carrying {', '.join(c.label for c in self.changes)}")]
        for party in sorted((p for p in self.parties if p.decided), key=lambda p: p.decided.recorded_at):
            d = party.decided
            by = (d.recorded_by.get_full_name() or d.recorded_by.username) if d.recorded_by else "the system"
            said = f"agreed ({d.decision})" if d.decision_id else f"declined: {d.reason}"
            events.append((d.recorded_at, f"{party.name} {said}, recorded by {by}"))
        if v.closed_at is not None:
            ending = {"agreed": "Took effect: every document it carries became its next agreed version",
                      "declined": "Stopped: a party declined", "withdrawn": "Withdrawn"}[v.status]
            events.append((v.closed_at, ending))
        return events

    @property
    def waiting_for(self) -> list[PartyLine]:
        return [party for party in self.parties if party.decided is None]


def variation_for(user, reference: str, number: int) -> Variation:
    """The variation if the user may see its agreement; 404 otherwise."""
    agreement = agreement_for(user, reference)
    try:
        return Variation.objects.select_related("agreement", "proposed_by").get(agreement=agreement, number=number)
    except Variation.DoesNotExist:
        raise Http404("No variation found.") from None


def _decisions() -> Prefetch:
    has_notice = Exists(DecisionNotice.objects.filter(party_decision=OuterRef("pk")))
    return Prefetch("decisions", queryset=PartyDecision.objects.select_related(
        "partner", "decision", "recorded_by").defer("revisions").annotate(has_notice=has_notice))


def _change(agreement: Agreement, variation: Variation, entry, obj) -> DocumentChange:
    if isinstance(obj, Schedule):
        args, prefix = [agreement.reference, obj.number], "schedule"
    else:
        args, prefix = [agreement.reference], "agreement"
    url = reverse(prefix, args=args)
    after = entry.version.revision_id if entry.version_id else (latest_revision(obj).pk if variation.is_open else None)
    if entry.before_id is None or after is None:
        compare = reverse(f"{prefix}_version", args=[*args, entry.version.number]) if entry.version_id else url
    else:
        compare = f"{reverse(f'{prefix}_compare', args=args)}?older={entry.before.revision_id}&newer={after}"
    return DocumentChange(entry.label, url, compare, entry.before_id is None)


def variation_record(
    variation: Variation, parties: list[tuple[int, str]] | None = None, schedules: dict[int, Schedule] | None = None,
) -> VariationRecord:
    agreement = variation.agreement
    if parties is None:
        parties = list(agreement.parties.values_list("partner_id", "partner__name"))
    if "decisions" not in getattr(variation, "_prefetched_objects_cache", {}):
        prefetch_related_objects([variation], _decisions())
    decided = {d.partner_id: d for d in variation.decisions.all()}
    record = VariationRecord(variation, reverse("variation", args=[agreement.reference, variation.number]))
    record.changes = [_change(agreement, variation, entry, obj) for entry, obj in variation_objects(variation, schedules)]
    record.parties = [PartyLine(name, pk, decided.get(pk)) for pk, name in parties]
    record.parties += [PartyLine(d.partner.name, d.partner_id, d) for pk, d in decided.items()
                       if pk not in {p for p, _ in parties}]  # a party since removed keeps its decision on record
    return record


def variations_record(agreement: Agreement) -> list[VariationRecord]:
    """Every variation of the agreement, newest first, with its changes and each party's decision."""
    parties = list(agreement.parties.values_list("partner_id", "partner__name"))
    documents = Prefetch("documents", queryset=VariationDocument.objects.select_related("content_type", "before", "version"))
    variations = list(agreement.variations.select_related("agreement").prefetch_related(_decisions(), documents))
    schedules = agreement.schedules.in_bulk() if variations else {}
    return [variation_record(v, parties, schedules) for v in variations]


def waiting(user) -> tuple[list[Variation], list[Variation]]:
    """The open variations of the user's agreements: those waiting for their partner's decision, and
    those waiting only for the other parties."""
    partner = user_partner(user)
    open_ones = (
        Variation.objects.filter(status=VariationStatus.PROPOSED, agreement__in=agreements_visible_to(user))
        .select_related("agreement").prefetch_related(_decisions(), "agreement__parties__partner")
        .order_by("proposed_at")
    )
    on_you, on_others = [], []
    for variation in open_ones:
        decided = {d.partner_id for d in variation.decisions.all()}
        variation.waiting_names = [p.partner.name for p in variation.agreement.parties.all()
                                   if p.partner_id not in decided]
        is_party = partner is not None and any(p.partner_id == partner.pk for p in variation.agreement.parties.all())
        (on_you if is_party and partner.pk not in decided else on_others).append(variation)
    return on_you, on_others


def home_waiting_context(request) -> dict[str, Any]:
    on_you, on_others = waiting(request.user)
    return {"waiting_on_you": on_you, "waiting_on_others": on_others, "partner": user_partner(request.user)}
