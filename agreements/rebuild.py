"""Schedules and agreements rebuilt from django-simple-history's rows, as they stood at a revision.

The same dicts as `agreements.snapshots.schedule_snapshot` and `agreement_snapshot`, read from the
historical tables instead of the live ones (`documents.history_as_of`), so a test can show that
every revision's snapshot is a view of the rows it and the revisions before it wrote. Registered as
the ``rebuild`` of the SCHEDULE and AGREEMENT document types.
"""

from __future__ import annotations

from typing import Any

from agreements.models import (
    Agreement,
    BudgetLine,
    Clause,
    Party,
    Risk,
    Schedule,
    SpecificationParagraph,
    SpecificationSection,
)
from agreements.snapshots import AGREEMENT_FIELDS, BUDGET_LINE_FIELDS, SCHEDULE_FIELDS, TEXT_LISTS, plain
from documents.history_as_of import document_row, ordered, row_as_of, rows_as_of
from documents.models import Revision
from partnerships.models import Partner


def _partner_entry(partner_id: int, revision: Revision) -> dict[str, str]:
    partner = row_as_of(Partner, partner_id, revision)
    return {"name": partner.name, "short_name": partner.short_name, "kind": partner.kind}


def _parties(agreement_id: int, revision: Revision):
    return ordered(rows_as_of(Party, revision, agreement_id=agreement_id), "position", "id")


def rebuild_agreement(revision: Revision) -> dict[str, Any]:
    agreement = document_row(Agreement, revision)
    parties = _parties(agreement.id, revision)
    clauses = ordered(rows_as_of(Clause, revision, agreement_id=agreement.id), "position", "id")
    return {
        "type": "agreement",
        "id": agreement.id,
        "fields": {name: plain(getattr(agreement, name)) for name in AGREEMENT_FIELDS},
        "partners": {str(p.partner_id): _partner_entry(p.partner_id, revision) for p in parties},
        "parties": [{"id": p.id, "partner_id": p.partner_id, "role": p.role} for p in parties],
        "clauses": [{"id": c.id, "heading": c.heading, "text": c.text} for c in clauses],
    }


def _children(name: str, schedule_id: int, revision: Revision):
    model = Schedule._meta.get_field(name).related_model
    return ordered(rows_as_of(model, revision, schedule_id=schedule_id), "position", "id")


def rebuild_schedule(revision: Revision) -> dict[str, Any]:
    schedule = document_row(Schedule, revision, deleted_ok=True)
    if schedule.history_type == "-":  # as `schedule_delete` records it
        return {"type": "schedule", "id": schedule.id, "number": schedule.number, "deleted": True}
    agreement = row_as_of(Agreement, schedule.agreement_id, revision)
    parties = _parties(schedule.agreement_id, revision)
    partners: dict[str, dict[str, str]] = {}
    for partner_id in [p.partner_id for p in parties] + [schedule.lead_commissioner_id, schedule.host_id]:
        if partner_id is not None:
            partners[str(partner_id)] = _partner_entry(partner_id, revision)

    budget_lines = []
    for line in rows_as_of(BudgetLine, revision, schedule_id=schedule.id):
        partners.setdefault(str(line.partner_id), _partner_entry(line.partner_id, revision))
        budget_lines.append(
            {"id": line.id, "position": line.position, **{f: plain(getattr(line, f)) for f in BUDGET_LINE_FIELDS}}
        )
    budget_lines.sort(key=lambda line: (line["financial_year"], line["budget_type"], line["position"], line["id"]))

    sections = ordered(rows_as_of(SpecificationSection, revision, schedule_id=schedule.id), "position", "id")
    paragraphs = ordered(
        rows_as_of(SpecificationParagraph, revision, section_id__in=[s.id for s in sections]), "position", "id"
    )
    return {
        "type": "schedule",
        "id": schedule.id,
        "agreement": {
            "id": schedule.agreement_id,
            "reference": agreement.reference,
            "title": agreement.title,
            "party_ids": [p.partner_id for p in parties],
        },
        "fields": {name: plain(getattr(schedule, name)) for name in SCHEDULE_FIELDS},
        "partners": partners,
        **{name: [{"id": item.id, "text": item.text} for item in _children(name, schedule.id, revision)]
           for name in TEXT_LISTS},
        "risks": [
            {"id": r.id, "risk": r.risk, "mitigation": r.mitigation}
            for r in ordered(rows_as_of(Risk, revision, schedule_id=schedule.id), "position", "id")
        ],
        "specification": [
            {
                "id": section.id,
                "heading": section.heading,
                "paragraphs": [
                    {"id": p.id, "text": p.text, "list_items": p.list_items}
                    for p in paragraphs if p.section_id == section.id
                ],
            }
            for section in sections
        ],
        "budget_lines": budget_lines,
    }
