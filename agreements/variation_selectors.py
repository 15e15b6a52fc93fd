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
from documents.models import Revision
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
            withdrawn = f"Withdrawn: {v.withdrawn_reason}" if v.withdrawn_reason else "Withdrawn"
            ending = {"agreed": "Took effect: every document it carries became its next agreed version",
                      "declined": "Stopped: a party declined", "withdrawn": withdrawn}[v.status]
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


class VariationsRecord(list):
    """The agreement's variations, newest first, and which of them varied it (took effect)."""

    @property
    def in_effect(self) -> list[VariationRecord]:
        return [record for record in self if record.variation.status == VariationStatus.AGREED]

    @property
    def latest_in_effect(self) -> VariationRecord | None:
        agreed = self.in_effect
        return agreed[0] if agreed else None


def variations_record(agreement: Agreement) -> VariationsRecord:
    """Every variation of the agreement, newest first, with its changes and each party's decision."""
    parties = list(agreement.parties.values_list("partner_id", "partner__name"))
    documents = Prefetch("documents", queryset=VariationDocument.objects.select_related("content_type", "before", "version"))
    variations = list(agreement.variations.select_related("agreement").prefetch_related(_decisions(), documents))
    schedules = agreement.schedules.in_bulk() if variations else {}
    return VariationsRecord(variation_record(v, parties, schedules) for v in variations)


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


@dataclass
class ChangeSinceShown:
    """One way the variation differs from what a decision page showed: a document changed, added or removed."""

    label: str
    what: str  # "changed", "added" or "removed"
    compare_url: str | None  # what changed, or the document now; None for a removed document


def _document_key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def shown_revisions(variation: Variation) -> str:
    """What a decision page shows, for its hidden field: each document's key and its latest revision."""
    return ",".join(f"{_document_key(obj)}={latest_revision(obj).pk}" for _, obj in variation_objects(variation))


def _parse_shown(shown: str) -> dict[str, int]:
    parsed = {}
    for part in (shown or "").split(","):
        key, _, revision = part.strip().partition("=")
        if key and revision.isdigit():
            parsed[key] = int(revision)
    return parsed


def changes_since(variation: Variation, shown: str) -> list[ChangeSinceShown]:
    """How the variation now differs from what the page showed (`shown_revisions` when it was opened),
    each with the compare of the change; when the page said nothing usable, every document's before
    and after."""
    agreement = variation.agreement
    was = _parse_shown(shown)
    record = variation_record(variation)
    now = variation_objects(variation)
    if not was:
        return [ChangeSinceShown(change.label, "changed", change.compare_url) for change in record.changes]
    found = []
    for (entry, obj), change in zip(now, record.changes, strict=True):
        key, latest = _document_key(obj), latest_revision(obj)
        if key not in was:
            found.append(ChangeSinceShown(entry.label, "added", change.compare_url))
            continue
        if was[key] == latest.pk:
            continue
        prefix, args = ("schedule", [agreement.reference, obj.number]) if isinstance(obj, Schedule) else (
            "agreement", [agreement.reference])
        older = Revision.objects.filter(pk=was[key], content_type__model=obj._meta.model_name, object_id=obj.pk).first()
        url = (f"{reverse(f'{prefix}_compare', args=args)}?older={older.pk}&newer={latest.pk}" if older is not None
               else change.compare_url)
        found.append(ChangeSinceShown(entry.label, "changed", url))
    current = {_document_key(obj) for _, obj in now}
    gone = [key for key in was if key not in current]
    if gone:
        schedule_ids = [int(key.rsplit(":", 1)[1]) for key in gone if key.startswith("agreements.schedule:")]
        schedules = agreement.schedules.in_bulk(schedule_ids)
        for key in gone:
            pk = int(key.rsplit(":", 1)[1]) if key.rsplit(":", 1)[-1].isdigit() else None
            if key.startswith("agreements.schedule:") and pk in schedules:
                found.append(ChangeSinceShown(f"Schedule {schedules[pk].number}", "removed", None))
            elif key == f"agreements.agreement:{agreement.pk}":
                found.append(ChangeSinceShown("The agreement", "removed", None))
    return found
