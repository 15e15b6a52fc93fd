"""An agreement's or schedule's variations as units of its history (`documents.registry.HistoryGroup`).

The kernel's history page knows nothing of variations: the agreement and schedule document types
name `variation_history_groups` as their ``history_groups`` hook, and the page draws what it returns
(proposed, each party's decision, took effect) around the entries each variation carried.

An entry belongs to the variation it was made inside (between its proposal and its end) or, failing
that, to the variation that carried it into effect (a draft gathered when it was proposed), or to
the open variation that carries it now.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse

from agreements.models import PartyDecision, PartyOutcome, Variation, VariationDocument, VariationStatus
from documents.models import Revision
from documents.registry import HistoryEvent, HistoryGroup


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else "the system"


def decision_text(decided: PartyDecision) -> str:
    """"Test CCG: Governing body, 3 May 2026 (GB/12), key decision"."""
    d = decided.decision
    text = f"{decided.partner.name}: {d.body}, {d.decided_on:%-d %B %Y}"
    if d.reference:
        text += f" ({d.reference})"
    if d.key_decision:
        text += ", key decision"
    if decided.illustrative:
        text += " (illustrative)"
    return text


def _events(variation: Variation, entries: list[VariationDocument]) -> list[HistoryEvent]:
    labels = ", ".join(entry.label for entry in entries)
    events = [HistoryEvent(variation.proposed_at, (
        f"Proposed by {_who(variation.proposed_by)}, carrying {labels}, to take effect "
        f"{variation.effective_date:%-d %B %Y}"
    ))]
    for decided in variation.decisions.all():
        if decided.outcome == PartyOutcome.AGREED:
            said = f"Agreed by {decision_text(decided)}"
        else:
            said = f"Declined by {decided.partner.name}: {decided.reason}"
        events.append(HistoryEvent(decided.recorded_at, f"{said}; recorded by {_who(decided.recorded_by)}"))
    if variation.closed_at is not None:
        if variation.status == VariationStatus.AGREED:
            made = ", ".join(f"{e.label} became version {e.version.number}" for e in entries if e.version_id)
            ending = f"Took effect, agreed by every party: {made}"
        elif variation.status == VariationStatus.DECLINED:
            ending = "Stopped: a party declined it. Its documents keep their drafts"
        else:
            ending = f"Withdrawn: {variation.withdrawn_reason or 'no reason recorded'}. Its documents keep their drafts"
        events.append(HistoryEvent(variation.closed_at, ending))
    return events


def variation_history_groups(obj: models.Model) -> list[HistoryGroup]:
    """The variations that carried `obj` (an agreement or a schedule), each as one unit of its history."""
    content_type = ContentType.objects.get_for_model(obj)
    decisions = PartyDecision.objects.select_related("partner", "decision", "recorded_by").defer("revisions")
    siblings = VariationDocument.objects.select_related("version").only(
        "variation_id", "label", "position", "version_id", "version__number")
    mine = list(
        VariationDocument.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("variation__agreement", "variation__proposed_by", "before", "version")
        .prefetch_related(Prefetch("variation__decisions", queryset=decisions),
                          Prefetch("variation__documents", queryset=siblings))
        .order_by("variation__proposed_at", "variation_id")
    )
    if not mine:
        return []
    revisions = list(Revision.objects.filter(content_type=content_type, object_id=obj.pk)
                     .order_by("created_at", "pk").values_list("pk", "created_at"))
    place = {pk: index for index, (pk, _) in enumerate(revisions)}
    owner: dict[int, int] = {}  # revision id -> the variation it belongs to
    for entry in mine:  # made inside the variation, while it was open
        v = entry.variation
        for pk, at in revisions:
            if at >= v.proposed_at and (v.closed_at is None or at <= v.closed_at):
                owner.setdefault(pk, v.pk)
    for entry in mine:  # the drafts it gathered, into effect or still open
        v = entry.variation
        if v.status not in (VariationStatus.AGREED, VariationStatus.PROPOSED):
            continue
        start = place[entry.before.revision_id] + 1 if entry.before_id and entry.before.revision_id in place else 0
        end = place.get(entry.version.revision_id, len(revisions) - 1) if entry.version_id else len(revisions) - 1
        for pk, _ in revisions[start:end + 1]:
            owner.setdefault(pk, v.pk)
    groups = []
    for entry in mine:
        v = entry.variation
        entries = list(v.documents.all())
        events = _events(v, entries)
        agreed = tuple(decision_text(d) for d in v.decisions.all() if d.outcome == PartyOutcome.AGREED)
        groups.append(HistoryGroup(
            key=f"variation-{v.number}", title=f"Variation {v.number}: {v.title}",
            url=reverse("variation", args=[v.agreement.reference, v.number]), status=v.get_status_display(),
            events=tuple(events), anchor=events[-1].when,
            revision_ids=frozenset(pk for pk, variation_id in owner.items() if variation_id == v.pk),
            version_ids=frozenset([entry.version_id] if entry.version_id else []), decisions=agreed,
        ))
    return groups
