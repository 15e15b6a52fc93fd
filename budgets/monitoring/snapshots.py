"""A monitoring return as one dict, as every versioned document is: stored in each revision, diffed, printed.

Each entry carries its budget line as it stood (service, partner, type, budget, status, ring-fenced)
under keys that are never diffed, so a return as presented prints again exactly, whatever later
happens to the schedule's budgets. Amounts are strings of the decimal, never floats.
"""

from __future__ import annotations

from typing import Any

from agreements.snapshots import partner_entry, plain
from budgets.monitoring.models import MonitoringEntry, MonitoringReturn
from partnerships.models import Partner

RETURN_FIELDS = ["financial_year", "period", "note"]
ENTRY_FIELDS = ["budget_line_id", "actual_to_date", "forecast_outturn", "notes"]
LINE_FIELDS = ["service", "partner_id", "budget_type", "amount", "status", "ring_fenced_public_health"]
LINE_KEYS = {"amount": "budget", "status": "budget_status"}  # an entry's own keys for its line's fields


def line_values(line) -> dict[str, Any]:
    """A budget line's fields as an entry of the return's dict holds them (live or historical row)."""
    return {LINE_KEYS.get(name, name): plain(getattr(line, name)) for name in LINE_FIELDS}


def entry_dict(entry_id: int, position: int, values: dict[str, Any], line) -> dict[str, Any]:
    return {"id": entry_id, "position": position, **{f: plain(values[f]) for f in ENTRY_FIELDS}, **line_values(line)}


def return_dict(obj, schedule, agreement, partners: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "monitoring_return",
        "id": obj.id,
        "schedule": {"id": schedule.id, "number": schedule.number, "title": schedule.title,
                     "agreement_reference": agreement.reference, "agreement_title": agreement.title},
        "fields": {name: getattr(obj, name) for name in RETURN_FIELDS},
        "partners": partners,
        "entries": entries,
    }


def return_queryset():
    return MonitoringReturn.objects.select_related("schedule__agreement")


_ROW = ("id", "position", *ENTRY_FIELDS, *(f"budget_line__{name}" for name in LINE_FIELDS))
_KEYS = ("id", "position", *ENTRY_FIELDS, *(LINE_KEYS.get(name, name) for name in LINE_FIELDS))
_DECIMALS = tuple(_KEYS.index(key) for key in ("actual_to_date", "forecast_outturn", "budget"))  # plain(): str
_PARTNER = _KEYS.index("partner_id")


def return_snapshot(obj: MonitoringReturn) -> dict[str, Any]:
    """The return's dict from its rows: the entries and their lines read as plain values in one query (no
    instances, so a 10,000-line return builds quickly), the partners in one more. The values are what
    `entry_dict` makes of them (`plain`: decimals as strings; the rest are ints, strings and booleans)."""
    entries, partner_ids = [], {}
    for row in MonitoringEntry.objects.filter(monitoring_return=obj).order_by("position", "id").values_list(*_ROW):
        row = list(row)
        for index in _DECIMALS:
            if row[index] is not None:
                row[index] = str(row[index])
        partner_ids.setdefault(row[_PARTNER], None)
        entries.append(dict(zip(_KEYS, row, strict=True)))
    known = {partner.pk: partner for partner in Partner.objects.filter(pk__in=list(partner_ids))}
    partners = {str(pk): partner_entry(known[pk]) for pk in partner_ids}
    return return_dict(obj, obj.schedule, obj.schedule.agreement, partners, entries)


def return_snapshot_by_id(return_id: int) -> dict[str, Any]:
    return return_snapshot(return_queryset().get(pk=return_id))
