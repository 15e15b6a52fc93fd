"""A schedule's budget lines: one partner's amount for one service, financial year and budget type.

The model moved here from budgets (a budget line is a child of its schedule, in the schedule's
document) keeping its tables: "budgets_budgetline" and "budgets_historicalbudgetline" (moved by
state-only migrations, agreements 0006 and budgets 0003).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agreements.budget_values import financial_year_label
from agreements.models.agreement import Party
from agreements.models.schedule import Schedule
from documents.models import RevisionLinkedHistory
from partnerships.models import Partner


class BudgetType(models.TextChoices):
    POOLED = "pooled", "Pooled"
    ALIGNED = "aligned", "Aligned"


class BudgetStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    TO_BE_AGREED = "to_be_agreed", "To be agreed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    WITHIN_BLOCK = "within_block", "Within block contract"


class BudgetLine(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveIntegerField(default=0, help_text="Order of services in the schedule's table")
    service = models.CharField(max_length=300)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="budget_lines")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in April: 2018 means 2018/19"
    )
    budget_type = models.CharField(max_length=10, choices=BudgetType.choices)
    amount = models.DecimalField(
        "Amount (£)", max_digits=14, decimal_places=2, null=True, blank=True,
        help_text="Leave blank when there is no figure",
    )
    status = models.CharField(max_length=20, choices=BudgetStatus.choices, default=BudgetStatus.CONFIRMED)
    ring_fenced_public_health = models.BooleanField("Ring-fenced public health", default=False)
    notes = models.TextField(blank=True)

    history = HistoricalRecords(bases=[RevisionLinkedHistory], table_name="budgets_historicalbudgetline")

    class Meta:
        db_table = "budgets_budgetline"
        ordering = ["financial_year", "budget_type", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "service", "partner", "financial_year", "budget_type"],
                name="budget_line_unique",
                violation_error_message=(
                    "This schedule already has a line for this service, partner, financial year and budget type."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=Decimal("0")),
                name="budget_amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~Q(status=BudgetStatus.NOT_APPLICABLE) | Q(amount__isnull=True),
                name="budget_not_applicable_has_no_amount",
                violation_error_message="A line that is not applicable cannot have an amount.",
            ),
            models.CheckConstraint(
                condition=~Q(status=BudgetStatus.CONFIRMED) | Q(amount__isnull=False),
                name="budget_confirmed_has_amount",
                violation_error_message="A confirmed line needs an amount.",
            ),
            models.CheckConstraint(
                condition=Q(financial_year__gte=1990) & Q(financial_year__lte=2100),
                name="budget_financial_year_sane",
                violation_error_message="The financial year must be between 1990/91 and 2100/01.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.partner} · {self.financial_year_label} · {self.get_budget_type_display()}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def clean(self) -> None:
        super().clean()
        if self.schedule_id and self.partner_id:
            if not Party.objects.filter(agreement_id=self.schedule.agreement_id, partner_id=self.partner_id).exists():
                raise ValidationError(
                    {"partner": f"{self.partner} is not a party to agreement {self.schedule.agreement.reference}."}
                )
