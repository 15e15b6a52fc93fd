"""Read django-simple-history's rows as they stood at a revision, to rebuild that revision's snapshot.

A revision's snapshot is meant to be a view of the historical rows: every row a revision writes is
stamped with it and dated with its ``created_at`` (`documents.history_rows`). So the rows "as of"
revision R are, for each object, its newest historical row written at or before R, where rows are
ordered as revisions are, by date and then by revision id (a row written outside any revision, such
as a partner's, counts as written before a revision of the same date). A row whose newest entry is
a deletion ("-") is no longer there.

Each document type's ``rebuild(revision) -> dict`` (`documents.registry.DocumentType.rebuild`) uses
these to rebuild the snapshot from the rows alone; tests compare the two.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from documents.models import Revision


def _written_at(row: models.Model) -> tuple[datetime, int]:
    return row.history_date, getattr(row, "revision_id", None) or 0


def _newest_per_object(rows, revision: Revision) -> dict[Any, models.Model]:
    cut = (revision.created_at, revision.pk)
    newest: dict[Any, models.Model] = {}
    for row in rows:
        if _written_at(row) > cut:
            continue
        known = newest.get(row.id)
        if known is None or (*_written_at(row), row.history_id) > (*_written_at(known), known.history_id):
            newest[row.id] = row
    return newest


def rows_as_of(model: type[models.Model], revision: Revision, **filters: Any) -> list[models.Model]:
    """The historical rows of `model` matching `filters` (by the live fields, on the historical
    table) as they stood at `revision`: the newest of each object, deleted ones left out."""
    rows = model.history.filter(**filters)
    return [row for row in _newest_per_object(rows, revision).values() if row.history_type != "-"]


def document_row(model: type[models.Model], revision: Revision, *, deleted_ok: bool = False) -> models.Model:
    """The historical row of the revision's own document (its parent row) as it stood at `revision`;
    its deletion row ("-") only if `deleted_ok` (a deleted schedule's last entry)."""
    found = _newest_per_object(model.history.filter(id=revision.object_id), revision).get(revision.object_id)
    if found is None or (found.history_type == "-" and not deleted_ok):
        raise LookupError(f"No historical row of {model.__name__} {revision.object_id} as of revision {revision.pk}.")
    return found


def row_as_of(model: type[models.Model], pk: Any, revision: Revision) -> models.Model | None:
    """The historical row of one object that another document names (a partner, a board, an
    agreement), as it stood at `revision`.

    When the object's history starts after the revision's date (the demo and bench load documents
    dated years back, after the partners and boards they name were recorded today), its first row
    is taken: the object existed when the revision was written, as its foreign key requires.
    """
    rows = list(model.history.filter(id=pk))
    found = _newest_per_object(rows, revision).get(pk)
    if found is None and rows:
        found = min(rows, key=lambda row: (*_written_at(row), row.history_id))
    return found


def ordered(rows: list[models.Model], *names: str) -> list[models.Model]:
    """The rows in the order of the live model's ``Meta.ordering`` fields given (such as position, id)."""
    return sorted(rows, key=lambda row: tuple(getattr(row, name) for name in names))
