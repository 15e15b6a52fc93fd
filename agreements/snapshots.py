"""Documents as plain data: a schedule or agreement with its child rows, as one dict.

The same dict is stored in each revision (so versions and "as it stood on" are exact), diffed
for history and compare, and turned into page and PDF context by `agreements.presenters`.
Amounts are kept as strings of the decimal ("4388588.00"), never floats.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from agreements.models import Agreement, BudgetLine, Party, Schedule, SpecificationParagraph, SpecificationSection

SCHEDULE_FIELDS = [
    "number", "title", "status", "pooled_fund", "lead_commissioning", "integrated_provision",
    "aligned_budgets", "lead_commissioner_id", "host_id", "pool_manager", "service_name",
    "agreement_type", "service_type", "delegated_function", "services", "eligibility", "resources",
    "specification_title", "review_due",
]
TEXT_LISTS = ["aims", "outcomes", "strategy_documents", "kpis"]
BUDGET_LINE_FIELDS = [
    "service", "partner_id", "financial_year", "budget_type", "amount", "status",
    "ring_fenced_public_health", "notes",
]
AGREEMENT_FIELDS = ["title", "reference", "legal_basis", "status", "dated", "effective_from", "expires", "review_due",
                    "notice_period_months"]


def plain(value: Any) -> Any:
    """JSON-safe, exact: dates as ISO strings, decimals as strings.

    Public because the budget import builds a schedule's dict from raw rows and must write its
    values exactly as this module does, or a re-import would read as a change.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def partner_entry(partner) -> dict[str, str]:
    """A partner as a document dict's "partners" holds it (the budget import writes these too)."""
    return {"name": partner.name, "short_name": partner.short_name, "kind": partner.kind}


def schedule_queryset(*, budget_lines: bool = True):
    """Every row a schedule document needs, in a fixed number of queries.

    With `budget_lines=False` the schedule reads as having none, for a caller that supplies
    them itself (the import's fast path, `budgets.importing.writing`).
    """
    return Schedule.objects.select_related("agreement", "lead_commissioner", "host").prefetch_related(
        "aims", "outcomes", "strategy_documents", "kpis", "risks",
        Prefetch(
            "specification_sections",
            queryset=SpecificationSection.objects.prefetch_related(
                Prefetch("paragraphs", queryset=SpecificationParagraph.objects.order_by("position", "id"))
            ),
        ),
        Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("partner") if budget_lines
                 else BudgetLine.objects.none()),
        Prefetch("agreement__parties", queryset=Party.objects.select_related("partner")),
    )


def budget_line_entries(lines, partners: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """A schedule's budget lines as its snapshot holds them, in order; adds each line's partner to `partners`."""
    entries = []
    for line in lines:
        partners.setdefault(str(line.partner_id), partner_entry(line.partner))
        entries.append({"id": line.pk, "position": line.position, **{f: plain(getattr(line, f)) for f in BUDGET_LINE_FIELDS}})
    return _in_snapshot_order(entries)


_PARTNER_VALUES = {"name": "partner__name", "short_name": "partner__short_name", "kind": "partner__kind"}


def budget_line_values(schedule_id: int) -> list[dict[str, Any]]:
    """A schedule's budget lines with their partners' names as `values()` rows, for `schedule_snapshot`'s
    `budget_lines`: a page reading a hundred lines builds no model instances for them."""
    return list(BudgetLine.objects.filter(schedule_id=schedule_id).order_by()
                .values("id", "position", *BUDGET_LINE_FIELDS, *_PARTNER_VALUES.values()))


def _value_entries(rows: list[dict[str, Any]], partners: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """`budget_line_entries` for `budget_line_values` rows: the same entries and partners."""
    entries = []
    for row in rows:
        partners.setdefault(str(row["partner_id"]), {key: row[column] for key, column in _PARTNER_VALUES.items()})
        entries.append({"id": row["id"], "position": row["position"], **{f: plain(row[f]) for f in BUDGET_LINE_FIELDS}})
    return _in_snapshot_order(entries)


def _in_snapshot_order(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries.sort(key=lambda line: (line["financial_year"], line["budget_type"], line["position"], line["id"]))
    return entries


def schedule_budget_lines_now(schedule: Schedule) -> dict[str, Any]:
    """The part of `schedule_snapshot` the budget lines page reads, `budget_lines` and `partners`, in 2
    queries rather than the whole document's 10 (the page saves only the lines)."""
    partners = {str(party.partner_id): partner_entry(party.partner)
                for party in Party.objects.filter(agreement_id=schedule.agreement_id).select_related("partner")}
    return {"budget_lines": _value_entries(budget_line_values(schedule.pk), partners), "partners": partners}


def schedule_snapshot(schedule: Schedule, *, budget_lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The schedule and all its child rows as they stand now (pass a `schedule_queryset()` row; or one
    without budget lines, and its `budget_line_values` rows as `budget_lines`)."""
    partners: dict[str, dict[str, str]] = {}
    for party in schedule.agreement.parties.all():
        partners[str(party.partner_id)] = partner_entry(party.partner)
    for partner in (schedule.lead_commissioner, schedule.host):
        if partner is not None:
            partners[str(partner.pk)] = partner_entry(partner)

    budget_lines = (budget_line_entries(schedule.budget_lines.all(), partners) if budget_lines is None
                    else _value_entries(budget_lines, partners))

    return {
        "type": "schedule",
        "id": schedule.pk,
        "agreement": {
            "id": schedule.agreement_id,
            "reference": schedule.agreement.reference,
            "title": schedule.agreement.title,
            "party_ids": [party.partner_id for party in schedule.agreement.parties.all()],
        },
        "fields": {name: plain(getattr(schedule, name)) for name in SCHEDULE_FIELDS},
        "partners": partners,
        **{
            name: [{"id": item.pk, "text": item.text} for item in getattr(schedule, name).all()]
            for name in TEXT_LISTS
        },
        "risks": [{"id": r.pk, "risk": r.risk, "mitigation": r.mitigation} for r in schedule.risks.all()],
        "specification": [
            {
                "id": section.pk,
                "heading": section.heading,
                "paragraphs": [
                    {"id": p.pk, "text": p.text, "list_items": p.list_items} for p in section.paragraphs.all()
                ],
            }
            for section in schedule.specification_sections.all()
        ],
        "budget_lines": budget_lines,
    }


def schedule_snapshot_by_id(schedule_id: int) -> dict[str, Any]:
    return schedule_snapshot(schedule_queryset().get(pk=schedule_id))


def agreement_queryset():
    return Agreement.objects.prefetch_related("clauses", Prefetch("parties", queryset=Party.objects.select_related("partner")))


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    parties = list(agreement.parties.all())
    return {
        "type": "agreement",
        "id": agreement.pk,
        "fields": {name: plain(getattr(agreement, name)) for name in AGREEMENT_FIELDS},
        "partners": {str(p.partner_id): partner_entry(p.partner) for p in parties},
        "parties": [{"id": p.pk, "partner_id": p.partner_id, "role": p.role} for p in parties],
        "clauses": [{"id": c.pk, "heading": c.heading, "text": c.text} for c in agreement.clauses.all()],
    }


def agreement_snapshot_by_id(agreement_id: int) -> dict[str, Any]:
    return agreement_snapshot(agreement_queryset().get(pk=agreement_id))
