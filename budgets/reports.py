"""Budget reports (reads only): totals per partner and year, and the ring-fenced public health report."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from agreements.budget_values import financial_year_label
from agreements.models import BudgetLine, BudgetStatus, BudgetType
from budgets import spreadsheets

ZERO = Decimal("0.00")


@dataclass
class TotalsRow:
    partner: str
    financial_year: int
    pooled: Decimal = ZERO
    aligned: Decimal = ZERO
    to_be_agreed: Decimal = ZERO  # amounts given but still to be agreed, counted apart
    to_be_agreed_lines: int = 0

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def total(self) -> Decimal:
        return self.pooled + self.aligned

    @property
    def stated_total(self) -> Decimal:
        """Every figure stated, confirmed or still to be agreed."""
        return self.total + self.to_be_agreed


def budget_totals(lines) -> list[TotalsRow]:
    """Per partner and financial year: confirmed pooled and aligned totals apart, and what is to be agreed.

    `lines` is a BudgetLine queryset (a schedule's or an agreement's). Lines within a block contract
    or not applicable carry no separate amount and are not added.
    """
    rows: dict[tuple, TotalsRow] = {}
    confirmed = Q(status=BudgetStatus.CONFIRMED)
    for item in (
        lines.values("partner__name", "financial_year", "budget_type")
        .annotate(
            confirmed=Sum("amount", filter=confirmed),
            to_be_agreed=Sum("amount", filter=Q(status=BudgetStatus.TO_BE_AGREED)),
            to_be_agreed_lines=Count("id", filter=Q(status=BudgetStatus.TO_BE_AGREED)),
        )
        .order_by("financial_year", "partner__name")
    ):
        key = (item["financial_year"], item["partner__name"])
        row = rows.setdefault(key, TotalsRow(item["partner__name"], item["financial_year"]))
        amount = item["confirmed"] or ZERO
        if item["budget_type"] == BudgetType.POOLED:
            row.pooled += amount
        else:
            row.aligned += amount
        row.to_be_agreed += item["to_be_agreed"] or ZERO
        row.to_be_agreed_lines += item["to_be_agreed_lines"]
    return [rows[key] for key in sorted(rows)]


def quarterly_instalments(annual: Decimal) -> list[Decimal]:
    """Four instalments that add up to `annual` to the penny; the remainder pennies go in the last quarter."""
    pence = int((annual * 100).to_integral_value())
    quarter = pence // 4
    remainder = pence - quarter * 4
    return [Decimal(p) / 100 for p in (quarter, quarter, quarter, quarter + remainder)]


@dataclass
class RingFencedRow:
    partner: str
    financial_year: int
    annual: Decimal
    lines: int
    not_yet_agreed: Decimal = ZERO
    quarters: list[Decimal] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


def ring_fenced_public_health(lines) -> list[RingFencedRow]:
    """Flagged public health lines by partner and year, each with four quarterly instalments."""
    result = []
    for item in (
        lines.filter(ring_fenced_public_health=True, amount__isnull=False)
        .values("partner__name", "financial_year")
        .annotate(
            annual=Sum("amount"), lines=Count("id"),
            not_yet_agreed=Sum("amount", filter=Q(status=BudgetStatus.TO_BE_AGREED)),
        )
        .order_by("financial_year", "partner__name")
    ):
        annual = item["annual"] or ZERO
        result.append(RingFencedRow(
            partner=item["partner__name"], financial_year=item["financial_year"], annual=annual,
            lines=item["lines"], not_yet_agreed=item["not_yet_agreed"] or ZERO,
            quarters=quarterly_instalments(annual),
        ))
    return result


def schedule_lines(schedule):
    return BudgetLine.objects.filter(schedule=schedule)


def agreement_lines(agreement):
    return BudgetLine.objects.filter(schedule__agreement=agreement)


TOTALS_HEADERS = ["Financial year", "Partner", "Pooled (£)", "Aligned (£)", "Total confirmed (£)",
                  "To be agreed (£)", "Lines to be agreed"]
RING_FENCED_HEADERS = ["Financial year", "Partner", "Annual (£)", "Q1 Apr–Jun (£)", "Q2 Jul–Sep (£)",
                       "Q3 Oct–Dec (£)", "Q4 Jan–Mar (£)", "Of which to be agreed (£)"]


def reports_xlsx(lines) -> bytes:
    """Both reports as one workbook: "Totals" and "Ring-fenced public health", as the reports page shows them."""
    totals = spreadsheets.sheet("Totals", TOTALS_HEADERS, (
        [row.year_label, row.partner, row.pooled, row.aligned, row.total, row.to_be_agreed, row.to_be_agreed_lines]
        for row in budget_totals(lines)
    ), money=[header for header in TOTALS_HEADERS if header.endswith("(£)")])
    ring_fenced = spreadsheets.sheet("Ring-fenced public health", RING_FENCED_HEADERS, (
        [row.year_label, row.partner, row.annual, *row.quarters, row.not_yet_agreed]
        for row in ring_fenced_public_health(lines)
    ), money=[header for header in RING_FENCED_HEADERS if header.endswith("(£)")])
    return spreadsheets.export_workbook([totals, ring_fenced])
