"""Terms of reference and boards as one dict each, in the same shape and for the same uses as schedules."""

from __future__ import annotations

from typing import Any

from governance.models import Board, TermsOfReference

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


# ----------------------------------------------------------------------------- boards

BOARD_FIELDS = ["name", "short_name", "reports_to_id", "description"]


def board_queryset():
    return Board.objects.select_related("reports_to").prefetch_related("agreements")


def board_snapshot(board: Board) -> dict[str, Any]:
    """A board as one dict: its fields, the agreements it manages (by id, in reference order) and,
    under ``"boards"``, the name of the body it reports to, so pages and diffs name it as it was."""
    reports_to = board.reports_to
    return {
        "type": "board",
        "id": board.pk,
        "fields": {name: getattr(board, name) for name in BOARD_FIELDS},
        "boards": {str(reports_to.pk): {"name": reports_to.name}} if reports_to is not None else {},
        "agreements": [
            {"id": a.pk, "reference": a.reference, "title": a.title}
            for a in sorted(board.agreements.all(), key=lambda a: (a.reference, a.pk))
        ],
    }


def board_snapshot_by_id(board_id: int) -> dict[str, Any]:
    return board_snapshot(board_queryset().get(pk=board_id))
