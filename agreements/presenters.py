"""Turn a document dict (live, a version or as it stood on a date) into what pages and PDFs show.

Pages, version views and PDFs all render through these functions, so a schedule reads the same
everywhere and an agreed version prints exactly as it was agreed. `SCHEDULE` and `AGREEMENT` at
the end tell the kernel (`documents.registry`, registered in `AgreementsConfig.ready`) how their
history pages present them and how their changes are labelled.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from agreements.budget_values import CellError, financial_year_label, parse_financial_year
from agreements.models import (
    ARRANGEMENT_FIELDS,
    Agreement,
    AgreementStatus,
    Aim,
    BudgetLine,
    Clause,
    KeyPerformanceIndicator,
    Outcome,
    Party,
    PartyRole,
    Risk,
    Schedule,
    ScheduleStatus,
    SpecificationParagraph,
    SpecificationSection,
    StrategyDocument,
)
from agreements.rebuild import rebuild_agreement, rebuild_schedule
from agreements.variation_history import variation_history_groups
from documents.diffing import show_partner
from documents.money import money
from documents.registry import DocumentType, ListLabel
from partnerships.access import Capability

BUDGET_STATUS_LABELS = {
    "confirmed": "Confirmed",
    "to_be_agreed": "To be agreed",
    "not_applicable": "Not applicable",
    "within_block": "Within block contract",
}
BUDGET_TYPE_LABELS = {"pooled": "Pooled fund", "aligned": "Aligned budgets"}


def current_financial_year(today: date | None = None) -> int:
    today = today or date.today()
    return today.year if today.month >= 4 else today.year - 1


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]


def partner_name(snapshot: dict[str, Any], partner_id: int | None) -> str:
    """The partner's name as the document stood ("Haringey Council"): pages and PDFs write names in full,
    as a reader may not know the short names ("LBH") used inside the councils."""
    if partner_id is None:
        return ""
    entry = snapshot.get("partners", {}).get(str(partner_id))
    if entry is None:
        return f"Partner {partner_id}"
    return entry["name"]


@dataclass
class BudgetCell:
    amount: str | None
    status: str
    notes: str
    ring_fenced: bool
    line_id: int | None

    @property
    def text(self) -> str:
        """As the signed table shows it: the figure, then any note; or the note; or the status."""
        figure = money(self.amount)
        if figure and self.notes:
            return f"{figure} {self.notes}"
        if figure:
            return figure
        return self.notes or BUDGET_STATUS_LABELS.get(self.status, self.status)

    @property
    def figure(self) -> str:
        return money(self.amount)


@dataclass
class PartnerTotal:
    partner: str
    total: Decimal = Decimal("0")
    to_be_agreed: Decimal = Decimal("0")
    has_figures: bool = False

    @property
    def total_text(self) -> str:
        return money(self.total) if self.has_figures else "No figures"

    @property
    def to_be_agreed_text(self) -> str:
        return money(self.to_be_agreed) if self.to_be_agreed else ""


@dataclass
class BudgetTable:
    financial_year: int
    budget_type: str
    partners: list[tuple[int, str]]
    rows: list[tuple[str, list[BudgetCell | None]]] = field(default_factory=list)
    totals: list[PartnerTotal] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def caption(self) -> str:
        return f"{BUDGET_TYPE_LABELS.get(self.budget_type, self.budget_type)} {self.year_label}"


def budget_tables(snapshot: dict[str, Any], lines: list[dict[str, Any]] | None = None) -> list[BudgetTable]:
    """Service × partner tables, one per financial year and budget type, with per-partner totals."""
    lines = snapshot.get("budget_lines", []) if lines is None else lines
    party_order = {pid: index for index, pid in enumerate(snapshot.get("agreement", {}).get("party_ids", []))}
    grouped: OrderedDict[tuple[int, str], list[dict[str, Any]]] = OrderedDict()
    for line in sorted(lines, key=lambda line: (line["financial_year"], line["budget_type"] != "pooled", line["position"], line["id"])):
        grouped.setdefault((line["financial_year"], line["budget_type"]), []).append(line)
    tables = []
    for (year, budget_type), group in grouped.items():
        partner_ids = sorted({line["partner_id"] for line in group}, key=lambda pid: (party_order.get(pid, 999), pid))
        table = BudgetTable(
            financial_year=year, budget_type=budget_type,
            partners=[(pid, partner_name(snapshot, pid)) for pid in partner_ids],
        )
        services: OrderedDict[str, dict[int, dict[str, Any]]] = OrderedDict()
        for line in group:
            services.setdefault(line["service"], {})[line["partner_id"]] = line
        totals = {pid: PartnerTotal(partner=name) for pid, name in table.partners}
        for service, by_partner in services.items():
            cells: list[BudgetCell | None] = []
            for pid in partner_ids:
                line = by_partner.get(pid)
                if line is None:
                    cells.append(None)
                    continue
                cells.append(BudgetCell(
                    amount=line["amount"], status=line["status"], notes=line["notes"],
                    ring_fenced=line["ring_fenced_public_health"], line_id=line["id"],
                ))
                if line["amount"] is not None:
                    totals[pid].total += Decimal(line["amount"])
                    totals[pid].has_figures = True
                    if line["status"] == "to_be_agreed":
                        totals[pid].to_be_agreed += Decimal(line["amount"])
            table.rows.append((service, cells))
        table.totals = [totals[pid] for pid in partner_ids]
        tables.append(table)
    return tables


@dataclass
class BudgetYear:
    """One financial year of a schedule's budget tables, for the schedule page's year switcher."""

    year: int
    years: list[int]
    tables: list[BudgetTable]

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def links(self) -> list[tuple[str, bool]]:
        """(year label, is the year shown), newest first."""
        return [(financial_year_label(year), year == self.year) for year in sorted(self.years, reverse=True)]


def budget_year(tables: list[BudgetTable], requested: str = "") -> BudgetYear | None:
    """The tables of the year asked for (?year=2019/20), or of the latest year with lines when none
    is asked for or it has none; None when the schedule has no budget lines. PDFs and version pages
    show every year: only the live schedule page shows one at a time."""
    years = sorted({table.financial_year for table in tables})
    if not years:
        return None
    try:
        chosen = parse_financial_year(requested) if requested else years[-1]
    except CellError:
        chosen = years[-1]
    if chosen not in years:
        chosen = years[-1]
    return BudgetYear(chosen, years, [table for table in tables if table.financial_year == chosen])


def present_schedule(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Everything the signed schedule holds, in its order, ready for a template."""
    fields = snapshot["fields"]
    status_labels = dict(ScheduleStatus.choices)
    return {
        "id": snapshot["id"],
        "agreement": snapshot["agreement"],
        "number": fields["number"],
        "title": fields["title"],
        "heading": f"Schedule {fields['number']} — {fields['title']}",
        "status": fields["status"],
        "status_label": status_labels.get(fields["status"], fields["status"]),
        "withdrawn": fields["status"] == ScheduleStatus.WITHDRAWN,
        "arrangements": [label for name, label in ARRANGEMENT_FIELDS.items() if fields.get(name)],
        "lead_commissioner": partner_name(snapshot, fields.get("lead_commissioner_id")),
        "host": partner_name(snapshot, fields.get("host_id")),
        "pool_manager": fields.get("pool_manager", ""),
        "service_name": fields["service_name"],
        "agreement_type": fields["agreement_type"],
        "service_type": fields["service_type"],
        "delegated_function": paragraphs(fields["delegated_function"]),
        "services": paragraphs(fields["services"]),
        "aims": [item["text"] for item in snapshot["aims"]],
        "outcomes": [item["text"] for item in snapshot["outcomes"]],
        "strategy_documents": [item["text"] for item in snapshot["strategy_documents"]],
        "eligibility": paragraphs(fields["eligibility"]),
        "kpis": [item["text"] for item in snapshot["kpis"]],
        "resources": paragraphs(fields["resources"]),
        "risks": [{"risk": r["risk"], "mitigation": paragraphs(r["mitigation"])} for r in snapshot["risks"]],
        "specification_title": fields.get("specification_title") or "Outline specification",
        "specification": [
            {
                "number": s_index,
                "heading": section["heading"],
                "paragraphs": [
                    {
                        "number": f"{s_index}.{p_index}",
                        "text": paragraph["text"],
                        "items": [line.strip() for line in paragraph["list_items"].splitlines() if line.strip()],
                    }
                    for p_index, paragraph in enumerate(section["paragraphs"], start=1)
                ],
            }
            for s_index, section in enumerate(snapshot["specification"], start=1)
        ],
        "budget_tables": budget_tables(snapshot),
        "review_due": _date(fields.get("review_due")),  # absent from revisions before it existed
    }


def present_agreement(snapshot: dict[str, Any]) -> dict[str, Any]:
    fields = snapshot["fields"]
    roles = dict(PartyRole.choices)
    return {
        "id": snapshot["id"],
        "title": fields["title"],
        "reference": fields["reference"],
        "legal_basis": paragraphs(fields["legal_basis"]),
        "status": fields["status"],
        "status_label": dict(AgreementStatus.choices).get(fields["status"], fields["status"]),
        "dated": _date(fields["dated"]),
        "effective_from": _date(fields["effective_from"]),
        "expires": _date(fields["expires"]),
        "review_due": _date(fields["review_due"]),
        "notice_period_months": fields.get("notice_period_months"),  # absent from revisions before it existed
        "parties": [
            {"name": partner_name(snapshot, p["partner_id"]), "role": roles.get(p["role"], p["role"]),
             "role_code": p["role"], "partner_id": p["partner_id"]}
            for p in snapshot["parties"]
        ],
        "clauses": [
            {"number": index, "heading": c["heading"], "text": paragraphs(c["text"])}
            for index, c in enumerate(snapshot["clauses"], start=1)
        ],
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# ----------------------------------------------------------------------------- the kernel's view of them


def _budget_line_name(item: dict[str, Any], doc: dict[str, Any]) -> str:
    partner = doc.get("partners", {}).get(str(item["partner_id"]), {})
    return (
        f"{item['service']} · {partner.get('name') or partner.get('short_name', '')} · "
        f"{financial_year_label(int(item['financial_year']))} · {BUDGET_TYPE_LABELS.get(item['budget_type'], '')}"
    )


def _party_name(item: dict[str, Any], doc: dict[str, Any]) -> str:
    return doc.get("partners", {}).get(str(item["partner_id"]), {}).get("name", "a partner")


SCHEDULE = DocumentType(
    kind="schedule",
    history_groups=variation_history_groups,  # its variations, each one unit of its history
    present=present_schedule,
    body_template="agreements/includes/schedule_body.html",
    agree_capability=Capability.AGREE_VERSIONS,
    field_labels={
        "number": "Schedule number", "title": "Title", "status": "Status", "pooled_fund": "Pooled fund",
        "lead_commissioning": "Lead commissioning", "integrated_provision": "Integrated provision",
        "aligned_budgets": "Aligned budgets", "lead_commissioner_id": "Lead commissioner", "host_id": "Host",
        "pool_manager": "Pool manager", "service_name": "Name of service", "agreement_type": "Type of agreement",
        "service_type": "Type of service", "delegated_function": "Delegated function", "services": "The services",
        "eligibility": "Eligibility and assessment procedures", "resources": "Resources for managing the partnership",
        "specification_title": "Outline specification title", "review_due": "Review date",
    },
    lists={
        "aims": ListLabel("Aims", numbered=True),
        "outcomes": ListLabel("Outcomes", numbered=True),
        "strategy_documents": ListLabel("Strategy documents"),
        "kpis": ListLabel("Key performance indicators"),
        "risks": ListLabel("Risks and mitigations"),
        "specification": ListLabel("Outline specification sections", numbered=True),
        "budget_lines": ListLabel("Budget lines", name=_budget_line_name),
    },
    item_field_labels={
        "text": "Text", "risk": "Risk", "mitigation": "Mitigation", "heading": "Heading", "list_items": "Listed items",
        "service": "Service", "partner_id": "Partner", "financial_year": "Financial year",
        "budget_type": "Budget type", "amount": "Amount", "status": "Status",
        "ring_fenced_public_health": "Ring-fenced public health", "notes": "Notes",
    },
    # Statuses, dates and other labels come from the models (`documents.diffing.show_stored`).
    model=Schedule,
    list_models={
        "aims": Aim, "outcomes": Outcome, "strategy_documents": StrategyDocument, "kpis": KeyPerformanceIndicator,
        "risks": Risk, "specification": SpecificationSection, "paragraphs": SpecificationParagraph,
        "budget_lines": BudgetLine,
    },
    display={
        "lead_commissioner_id": show_partner, "host_id": show_partner, "partner_id": show_partner,
        "amount": lambda value, doc: money(value),
        "financial_year": lambda value, doc: financial_year_label(int(value)),
        "budget_type": lambda value, doc: BUDGET_TYPE_LABELS.get(value, value),
    },
    this_name="This schedule",
    rebuild=rebuild_schedule,
)

AGREEMENT = DocumentType(
    kind="agreement",
    history_groups=variation_history_groups,  # its variations, each one unit of its history
    present=present_agreement,
    body_template="agreements/includes/agreement_body.html",
    agree_capability=Capability.AGREE_VERSIONS,
    field_labels={
        "title": "Title", "reference": "Reference", "legal_basis": "Legal basis", "status": "Status",
        "dated": "Dated", "effective_from": "Effective from", "expires": "Expires", "review_due": "Review due",
        "notice_period_months": "Notice period (months)",
    },
    lists={
        "parties": ListLabel("Parties", name=_party_name),
        "clauses": ListLabel("Clauses", numbered=True),
    },
    item_field_labels={"partner_id": "Partner", "role": "Role", "heading": "Heading", "text": "Text"},
    model=Agreement,
    list_models={"parties": Party, "clauses": Clause},
    display={"partner_id": show_partner},
    this_name="This agreement",
    rebuild=rebuild_agreement,
)
