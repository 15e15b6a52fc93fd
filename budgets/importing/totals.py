"""A schedule's budget totals now and after an import, per financial year and budget type.

What a finance officer checks before confirming: the pooled and aligned totals of each year as
they stand and as the import would leave them. A line with no amount (to be agreed, not
applicable) adds nothing to a total. Reads the stored totals in one query; writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from agreements.budget_values import financial_year_label
from agreements.models import BudgetLine, BudgetType
from agreements.presenters import money
from budgets.importing.preview import ImportPreview

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TotalChange:
    financial_year: int
    budget_type: str
    before: Decimal
    after: Decimal

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def type_label(self) -> str:
        return BudgetType(self.budget_type).label

    @property
    def difference(self) -> Decimal:
        return self.after - self.before

    @property
    def changed(self) -> bool:
        return self.after != self.before

    @property
    def difference_label(self) -> str:
        """"+£12,000", "−£3,500.50" or "No change"."""
        if not self.changed:
            return "No change"
        return f"{'+' if self.difference > 0 else '−'}{money(abs(self.difference))}"


def preview_totals(preview: ImportPreview) -> list[TotalChange]:
    """Every year and budget type the schedule has or the import adds, with its total before and after.

    In year order, pooled before aligned within a year (the order of BudgetType's choices).
    """
    before: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    stored = (BudgetLine.objects.filter(schedule=preview.schedule).values("financial_year", "budget_type")
              .annotate(total=Sum("amount")).order_by())
    for row in stored:
        before[(row["financial_year"], row["budget_type"])] += row["total"] or ZERO
    after = defaultdict(lambda: ZERO, before)
    for change in preview.changed:
        parsed = change.parsed
        after[(parsed.financial_year, parsed.budget_type)] += (parsed.amount or ZERO) - (change.line.amount or ZERO)
    for change in preview.new:
        parsed = change.parsed
        after[(parsed.financial_year, parsed.budget_type)] += parsed.amount or ZERO
    kinds = [value for value, _label in BudgetType.choices]
    keys = sorted(set(before) | set(after), key=lambda key: (key[0], kinds.index(key[1])))
    return [TotalChange(year, kind, before[(year, kind)], after[(year, kind)]) for year, kind in keys]
