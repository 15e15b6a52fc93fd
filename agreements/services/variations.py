"""Writes for variations: propose, record each party's decision or its refusal, take effect, withdraw.

A variation changes an agreement only when every party has agreed it. While it is open, the
documents it carries change only through it (`guard_edit`); a decision is for the exact content
its legal officer was shown (the variation's edit count, and each document's latest revision);
the last party's agreement gives every document its next agreed version in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone

from agreements.models import (
    NOTICE_LIMIT,
    Agreement,
    DecisionNotice,
    PartyDecision,
    PartyOutcome,
    Schedule,
    Variation,
    VariationDocument,
    VariationStatus,
)
from documents.models import Decision
from documents.revisions import latest_revision, latest_version
from documents.services import document_agree
from documents.text import same_content
from partnerships.models import Partner


class InOpenVariation(ValidationError):
    """The document is carried by an open variation and may change only through it."""

    def __init__(self, label: str, variation: Variation, message: str | None = None):
        self.variation = variation
        super().__init__(message or (
            f"{label} is in variation {variation.number} (\u201c{variation.title}\u201d), which is waiting for the "
            "parties' decisions: change it from the variation's page, or withdraw the variation first. "
            "Nothing was saved."
        ))


class VariationChanged(ValidationError):
    """The variation changed (an edit inside it, a document added or removed) after the decision page was opened."""

    def __init__(self, variation: Variation):
        self.variation = variation
        super().__init__(
            f"Variation {variation.number} changed after you opened this page. Check what changed, shown below, "
            "then record the decision again. Nothing was recorded."
        )


@dataclass(frozen=True)
class Notice:
    """A scanned decision notice or minute as uploaded: its name and bytes."""

    file_name: str
    content: bytes


def document_label(obj: models.Model) -> str:
    return f"Schedule {obj.number}" if isinstance(obj, Schedule) else "The agreement"


def _key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def open_entry(obj: models.Model) -> VariationDocument | None:
    """The open variation's entry for this document, if an open variation carries it."""
    return (
        VariationDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, open=True
        ).select_related("variation").first()
    )


def guard_edit(obj: models.Model, variation: Variation | None = None) -> None:
    """Refuse a change to a document in an open variation, unless made inside that variation before
    any party decided; a change inside it raises the variation's edit count (call inside the write's
    transaction, so the refusal leaves nothing behind)."""
    entry = open_entry(obj)
    label = document_label(obj)
    if entry is None:
        if variation is not None:
            raise ValidationError(f"{label} is not part of variation {variation.number}. Nothing was saved.")
        return
    if variation is None or entry.variation_id != variation.pk:
        raise InOpenVariation(label, entry.variation)
    if entry.variation.decisions.exists():
        raise InOpenVariation(label, entry.variation, (
            f"{label} cannot change: a party has already decided on variation {entry.variation.number} as it "
            "stands. Withdraw the variation and propose a new one to change it. Nothing was saved."
        ))
    Variation.objects.filter(pk=variation.pk).update(edit_count=F("edit_count") + 1)


def variation_candidates(agreement: Agreement) -> list[models.Model]:
    """The agreement and its schedules that have draft changes and are in no open variation."""
    documents: list[models.Model] = [agreement, *agreement.schedules.order_by("number")]
    return [doc for doc in documents if _has_draft(doc) and open_entry(doc) is None]


def _has_draft(obj: models.Model) -> bool:
    latest, version = latest_revision(obj), latest_version(obj)
    if latest is None:
        return False
    return version is None or not same_content(version.revision.snapshot, latest.snapshot)


def _next_number(agreement: Agreement) -> int:
    return (agreement.variations.aggregate(highest=Max("number"))["highest"] or 0) + 1


@transaction.atomic
def variation_propose(
    *, agreement: Agreement, title: str, summary: str, effective_date: date, documents: list[models.Model], user,
    proposed_at=None,
) -> Variation:
    """Propose a variation carrying the drafts of `documents` (the agreement and/or its schedules)."""
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if not documents:
        raise ValidationError({"documents": "Choose at least one document with draft changes for the variation."})
    for obj in documents:
        owner = obj.pk if isinstance(obj, Agreement) else obj.agreement_id
        if owner != agreement.pk:
            raise ValidationError({"documents": f"{document_label(obj)} belongs to another agreement."})
        entry = open_entry(obj)
        if entry is not None:
            raise ValidationError({"documents": (
                f"{document_label(obj)} is already in variation {entry.variation.number} "
                f"(\u201c{entry.variation.title}\u201d); a document can be in one open variation at a time."
            )})
        if not _has_draft(obj):
            raise ValidationError({"documents": f"{document_label(obj)} has no draft changes to vary."})
    variation = Variation(
        agreement=agreement, number=_next_number(agreement), title=title, summary=summary,
        effective_date=effective_date, proposed_by=user if user is not None and user.is_authenticated else None,
        proposed_at=proposed_at or timezone.now(),
    )
    variation.full_clean()
    variation.save()
    for position, obj in enumerate(documents, start=1):
        VariationDocument.objects.create(
            variation=variation, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
            label=document_label(obj), before=latest_version(obj), position=position,
        )
    return variation


def variation_objects(
    variation: Variation, schedules: dict[int, Schedule] | None = None,
) -> list[tuple[VariationDocument, models.Model]]:
    """Each entry of the variation with its document (the agreement or a schedule); `schedules` by id
    when the caller has read them already (a list of variations reads its schedules once)."""
    if "documents" in getattr(variation, "_prefetched_objects_cache", {}):
        entries = list(variation.documents.all())
    else:
        entries = list(variation.documents.select_related("content_type", "before", "version"))
    if schedules is None:
        schedules = Schedule.objects.in_bulk([e.object_id for e in entries if e.content_type.model == "schedule"])
    found = []
    for entry in entries:
        obj = variation.agreement if entry.content_type.model == "agreement" else schedules.get(entry.object_id)
        if obj is not None:
            found.append((entry, obj))
    return found


def _revisions(variation: Variation) -> dict[str, int]:
    return {_key(obj): latest_revision(obj).pk for _, obj in variation_objects(variation)}


def check_notice(notice: Notice) -> None:
    """Refuse a decision notice that is over the limit or not a real PDF, naming the file."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    name = notice.file_name
    if len(notice.content) > NOTICE_LIMIT:
        raise ValidationError({"notice": f"\u201c{name}\u201d is {len(notice.content) / 1024 / 1024:.1f} MB: "
                                         "a decision notice can be at most 10 MB."})
    if not notice.content.startswith(b"%PDF-"):
        raise ValidationError({"notice": f"\u201c{name}\u201d is not a PDF: attach the decision notice or minute as a PDF."})
    try:
        pages = len(PdfReader(BytesIO(notice.content)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        pages = 0
    if pages == 0:
        raise ValidationError({"notice": f"\u201c{name}\u201d could not be opened as a PDF: it may be damaged. "
                                         "Scan or save it again."})


def _lock_open(variation: Variation, partner: Partner | None, expected_edit_count: int | None) -> Variation:
    locked = Variation.objects.select_for_update().select_related("agreement").get(pk=variation.pk)
    if not locked.is_open:
        raise ValidationError(f"Variation {locked.number} is {locked.get_status_display().lower()}: "
                              "it takes no more decisions.")
    if partner is None or not locked.agreement.parties.filter(partner=partner).exists():
        name = partner.name if partner is not None else "Your organisation"
        raise ValidationError(f"{name} is not a party to {locked.agreement.reference}: only its parties decide "
                              "its variations.")
    if locked.decisions.filter(partner=partner).exists():
        raise ValidationError(f"{partner.name} has already recorded its decision on variation {locked.number}.")
    if expected_edit_count is not None and locked.edit_count != expected_edit_count:
        raise VariationChanged(locked)
    return locked


def _check_decided_on(variation: Variation, decided_on: date) -> None:
    proposed = timezone.localdate(variation.proposed_at)
    if decided_on < proposed:
        raise ValidationError({"decided_on": (
            f"The decision date, {decided_on:%-d %B %Y}, is before the variation was proposed on "
            f"{proposed:%-d %B %Y}: a decision on it cannot be earlier."
        )})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "The decision date must be today or in the past."})


@transaction.atomic
def variation_decide(
    *, variation: Variation, partner: Partner | None, decision: Decision, user, expected_edit_count: int | None,
    notice: Notice | None = None, illustrative: bool = False, recorded_at=None,
) -> PartyDecision:
    """Record that `partner` agreed the variation as it stood at `expected_edit_count`; when it is the
    last party to agree, the variation takes effect."""
    variation = _lock_open(variation, partner, expected_edit_count)
    _check_decided_on(variation, decision.decided_on)
    if notice is not None:
        check_notice(notice)
    decision.full_clean()
    decision.save()
    recorded = _record(variation, partner, user, PartyOutcome.AGREED, decision=decision,
                       illustrative=illustrative, recorded_at=recorded_at)
    if notice is not None:
        DecisionNotice.objects.create(
            party_decision=recorded, file_name=notice.file_name[:200], size=len(notice.content),
            sha256=hashlib.sha256(notice.content).hexdigest(), content=notice.content,
        )
    parties = set(variation.agreement.parties.values_list("partner_id", flat=True))
    agreed = set(variation.decisions.filter(outcome=PartyOutcome.AGREED).values_list("partner_id", flat=True))
    if parties <= agreed:
        _take_effect(variation, recorded, user)
    return recorded


def _record(variation, partner, user, outcome, **values) -> PartyDecision:
    recorded = PartyDecision(
        variation=variation, partner=partner, outcome=outcome, variation_edit_count=variation.edit_count,
        revisions=_revisions(variation), recorded_by=user if user is not None and user.is_authenticated else None,
        **{k: v for k, v in values.items() if v is not None},
    )
    recorded.full_clean()
    recorded.save()
    return recorded


def _take_effect(variation: Variation, last: PartyDecision, user) -> None:
    """Every document the variation carries becomes its next agreed version, pointing at the variation."""
    for earlier in variation.decisions.exclude(pk=last.pk):
        if earlier.revisions != last.revisions:  # cannot happen while guard_edit holds; refuse rather than guess
            raise ValidationError(f"Variation {variation.number} changed between the parties' decisions; "
                                  "withdraw it and propose it again.")
    for entry, obj in variation_objects(variation):
        version = document_agree(
            document=obj, decision=last.decision, user=user, agreed_at=last.recorded_at,
            expected_revision=last.revisions[_key(obj)],
        )
        entry.version = version
        entry.open = False
        entry.save(update_fields=["version", "open"])
    variation.status = VariationStatus.AGREED
    variation.closed_at = last.recorded_at
    variation.save(update_fields=["status", "closed_at"])


@transaction.atomic
def variation_decline(
    *, variation: Variation, partner: Partner | None, reason: str, user, expected_edit_count: int | None,
) -> PartyDecision:
    """Record that `partner` declined the variation: it stops, and its documents are free to edit again."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the party declines the variation."})
    variation = _lock_open(variation, partner, expected_edit_count)
    recorded = _record(variation, partner, user, PartyOutcome.DECLINED, reason=reason)
    _close(variation, VariationStatus.DECLINED)
    return recorded


@transaction.atomic
def variation_withdraw(*, variation: Variation, user, reason: str) -> Variation:
    """Withdraw an open variation (its proposer's side changed its mind), saying why: its documents keep
    their drafts."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the variation is withdrawn."})
    locked = Variation.objects.select_for_update().get(pk=variation.pk)
    if not locked.is_open:
        raise ValidationError(f"Variation {locked.number} is {locked.get_status_display().lower()}: "
                              "only an open variation can be withdrawn.")
    locked.withdrawn_reason = reason.strip()
    locked.save(update_fields=["withdrawn_reason"])
    _close(locked, VariationStatus.WITHDRAWN)
    return locked


def _lock_for_change(variation: Variation, doing: str) -> Variation:
    """The open variation, locked, that no party has decided on yet: only then may what it carries change."""
    locked = Variation.objects.select_for_update().select_related("agreement").get(pk=variation.pk)
    if not locked.is_open:
        raise ValidationError(f"Variation {locked.number} is {locked.get_status_display().lower()}: "
                              f"{doing} is only possible while it waits for decisions. Nothing was changed.")
    decided = list(locked.decisions.select_related("partner").values_list("partner__name", flat=True))
    if decided:
        raise ValidationError(
            f"{' and '.join(decided)} {'has' if len(decided) == 1 else 'have'} already decided on variation "
            f"{locked.number} as it stands, and a decision is for exactly what it carried: {doing} is refused. "
            "Withdraw the variation and propose a new one instead. Nothing was changed."
        )
    return locked


@transaction.atomic
def variation_add_document(*, variation: Variation, document: models.Model, user) -> VariationDocument:
    """Gather a drafted document (the agreement or one of its schedules) into an open variation that no
    party has decided on yet; the decision pages already open must then be reloaded."""
    locked = _lock_for_change(variation, f"adding {document_label(document).lower()}")
    label = document_label(document)
    owner = document.pk if isinstance(document, Agreement) else document.agreement_id
    if owner != locked.agreement_id:
        raise ValidationError({"documents": f"{label} belongs to another agreement. Nothing was changed."})
    entry = open_entry(document)
    if entry is not None:
        where = "this variation" if entry.variation_id == locked.pk else (
            f"variation {entry.variation.number} (\u201c{entry.variation.title}\u201d)")
        raise ValidationError({"documents": f"{label} is already in {where}; a document can be in one open "
                                            "variation at a time. Nothing was changed."})
    if not _has_draft(document):
        raise ValidationError({"documents": f"{label} has no draft changes to vary: edit it first. Nothing was changed."})
    position = (locked.documents.aggregate(highest=Max("position"))["highest"] or 0) + 1
    added = VariationDocument.objects.create(
        variation=locked, content_type=ContentType.objects.get_for_model(document), object_id=document.pk,
        label=label, before=latest_version(document), position=position,
    )
    Variation.objects.filter(pk=locked.pk).update(edit_count=F("edit_count") + 1)
    return added


@transaction.atomic
def variation_remove_document(*, variation: Variation, document: models.Model, user) -> None:
    """Take a document out of an open variation no party has decided on: it keeps its draft and is free
    to edit again. The last document cannot be removed: withdraw the variation instead."""
    locked = _lock_for_change(variation, f"removing {document_label(document).lower()}")
    entries = list(locked.documents.select_related("content_type"))
    ct = ContentType.objects.get_for_model(document)
    mine = next((e for e in entries if e.content_type_id == ct.pk and e.object_id == document.pk), None)
    if mine is None:
        raise ValidationError(f"{document_label(document)} is not part of variation {locked.number}. "
                              "Nothing was changed.")
    if len(entries) == 1:
        raise ValidationError(f"{mine.label} is the only document variation {locked.number} carries: withdraw the "
                              "variation instead. Nothing was changed.")
    mine.delete()
    Variation.objects.filter(pk=locked.pk).update(edit_count=F("edit_count") + 1)


def _close(variation: Variation, status: str) -> None:
    variation.status = status
    variation.closed_at = timezone.now()
    variation.save(update_fields=["status", "closed_at"])
    variation.documents.update(open=False)


def version_variation(version) -> Variation | None:
    """The variation that agreed this version, if one did."""
    entry = VariationDocument.objects.filter(version=version).select_related("variation").first()
    return entry.variation if entry is not None else None

