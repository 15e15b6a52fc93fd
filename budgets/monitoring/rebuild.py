"""A monitoring return rebuilt from django-simple-history's rows as they stood at a revision
(the `rebuild` of MONITORING_RETURN), so a test shows each snapshot is a view of the rows."""

from __future__ import annotations

from typing import Any

from agreements.models import Agreement, BudgetLine, Schedule
from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from budgets.monitoring.snapshots import ENTRY_FIELDS, entry_dict, return_dict
from documents.history_as_of import document_row, ordered, row_as_of, rows_as_of
from documents.models import Revision
from partnerships.models import Partner


def rebuild_return(revision: Revision) -> dict[str, Any]:
    obj = document_row(MonitoringReturn, revision)
    schedule = row_as_of(Schedule, obj.schedule_id, revision)
    agreement = row_as_of(Agreement, schedule.agreement_id, revision)
    entries, partners = [], {}
    for entry in ordered(rows_as_of(MonitoringEntry, revision, monitoring_return_id=obj.id), "position", "id"):
        line = row_as_of(BudgetLine, entry.budget_line_id, revision)
        if str(line.partner_id) not in partners:
            partner = row_as_of(Partner, line.partner_id, revision)
            partners[str(line.partner_id)] = {"name": partner.name, "short_name": partner.short_name,
                                              "kind": partner.kind}
        entries.append(entry_dict(entry.id, entry.position, {f: getattr(entry, f) for f in ENTRY_FIELDS}, line))
    return return_dict(obj, schedule, agreement, partners, entries)
