"""Terms of reference as one dict, in the same shape and for the same uses as schedules."""

from __future__ import annotations

from typing import Any

from governance.models import TermsOfReference

TERMS_FIELDS = ["title", "status", "purpose", "chair", "vice_chair", "quorum", "meeting_frequency", "resources", "review_due"]


def terms_queryset():
    return TermsOfReference.objects.select_related("board").prefetch_related(
        "duties", "accountability_lines__reports_to", "financial_items", "members__organisation",
        "remit_items", "other_sections",
    )


def terms_snapshot(terms: TermsOfReference) -> dict[str, Any]:
    return {
        "type": "terms",
        "id": terms.pk,
        "board": {"id": terms.board_id, "name": terms.board.name, "short_name": terms.board.short_name},
        "fields": {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in TERMS_FIELDS
            for value in [getattr(terms, name)]
        },
        "duties": [{"id": d.pk, "label": d.label, "text": d.text} for d in terms.duties.all()],
        "accountability_lines": [
            {
                "id": a.pk, "label": a.label, "reports_to_id": a.reports_to_id,
                "reports_to": a.reports_to.name if a.reports_to else a.reports_to_name,
                "reports_to_name": a.reports_to_name, "frequency": a.frequency, "text": a.text,
            }
            for a in terms.accountability_lines.all()
        ],
        "financial_items": [{"id": f.pk, "label": f.label, "text": f.text} for f in terms.financial_items.all()],
        "members": [
            {
                "id": m.pk, "role": m.role, "organisation_id": m.organisation_id,
                "organisation": m.organisation.name if m.organisation else m.organisation_name,
                "organisation_name": m.organisation_name, "voting": m.voting, "substitute": m.substitute,
            }
            for m in terms.members.all()
        ],
        "remit_items": [{"id": r.pk, "included": r.included, "text": r.text} for r in terms.remit_items.all()],
        "other_sections": [{"id": s.pk, "heading": s.heading, "body": s.body} for s in terms.other_sections.all()],
    }


def terms_snapshot_by_id(terms_id: int) -> dict[str, Any]:
    return terms_snapshot(terms_queryset().get(pk=terms_id))
