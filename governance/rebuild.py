"""Terms of reference and boards rebuilt from django-simple-history's rows, as they stood at a revision.

The same dicts as `governance.snapshots.terms_snapshot` and `board_snapshot`, read from the
historical tables (`documents.history_as_of`). Registered as the ``rebuild`` of TERMS and BOARD.
A board's agreements are the many-to-many rows simple-history keeps with each historical board row.
"""

from __future__ import annotations

from typing import Any

from agreements.models import Agreement
from documents.history_as_of import document_row, ordered, row_as_of, rows_as_of
from documents.models import Revision
from governance.models import (
    AccountabilityLine,
    Board,
    Duty,
    FinancialGovernanceItem,
    Member,
    RemitItem,
    TermsOfReference,
    TermsSection,
)
from governance.snapshots import BOARD_FIELDS, TERMS_FIELDS
from partnerships.models import Partner


def _items(model, terms_id: int, revision: Revision):
    return ordered(rows_as_of(model, revision, terms_id=terms_id), "position", "id")


def rebuild_terms(revision: Revision) -> dict[str, Any]:
    terms = document_row(TermsOfReference, revision)
    board = row_as_of(Board, terms.board_id, revision)
    return {
        "type": "terms",
        "id": terms.id,
        "board": {"id": terms.board_id, "name": board.name, "short_name": board.short_name},
        "fields": {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in TERMS_FIELDS
            for value in [getattr(terms, name)]
        },
        "duties": [{"id": d.id, "label": d.label, "text": d.text} for d in _items(Duty, terms.id, revision)],
        "accountability_lines": [
            {
                "id": a.id, "label": a.label, "reports_to_id": a.reports_to_id,
                "reports_to": row_as_of(Board, a.reports_to_id, revision).name if a.reports_to_id else a.reports_to_name,
                "reports_to_name": a.reports_to_name, "frequency": a.frequency, "text": a.text,
            }
            for a in _items(AccountabilityLine, terms.id, revision)
        ],
        "financial_items": [
            {"id": f.id, "label": f.label, "text": f.text} for f in _items(FinancialGovernanceItem, terms.id, revision)
        ],
        "members": [
            {
                "id": m.id, "role": m.role, "organisation_id": m.organisation_id,
                "organisation": (
                    row_as_of(Partner, m.organisation_id, revision).name if m.organisation_id else m.organisation_name
                ),
                "organisation_name": m.organisation_name, "voting": m.voting, "substitute": m.substitute,
            }
            for m in _items(Member, terms.id, revision)
        ],
        "remit_items": [{"id": r.id, "included": r.included, "text": r.text} for r in _items(RemitItem, terms.id, revision)],
        "other_sections": [
            {"id": s.id, "heading": s.heading, "body": s.body} for s in _items(TermsSection, terms.id, revision)
        ],
    }


def rebuild_board(revision: Revision) -> dict[str, Any]:
    board = document_row(Board, revision)
    links = Board.history.model.agreements.model.objects.filter(history=board.history_id)
    agreements = [row_as_of(Agreement, link.agreement_id, revision) for link in links]
    reports_to = row_as_of(Board, board.reports_to_id, revision) if board.reports_to_id else None
    return {
        "type": "board",
        "id": board.id,
        "fields": {name: getattr(board, name) for name in BOARD_FIELDS},
        "boards": {str(reports_to.id): {"name": reports_to.name}} if reports_to is not None else {},
        "agreements": [
            {"id": a.id, "reference": a.reference, "title": a.title}
            for a in sorted(agreements, key=lambda a: (a.reference, a.id))
        ],
    }
