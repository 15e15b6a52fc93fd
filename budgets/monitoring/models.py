"""A monitoring return (a versioned document) and its entries, one per budget line of the schedule.

Periods run P1 (April) to P12 (March) of a financial year. A return's entries point at the
schedule's budget lines; the annual budget is always the line's, never the return's.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agreements.budget_values import financial_year_label
from documents.models import RevisionLinkedHistory
from documents.money import money

PERIODS = range(1, 13)
MONTHS = ["April", "May", "June", "July", "August", "September", "October", "November", "December", "January",
          "February", "March"]


def period_label(period: int) -> str:
    return f"P{period}"


def period_month(period: int) -> str:
    return MONTHS[period - 1]


class MonitoringReturn(models.Model):
    schedule = models.ForeignKey("agreements.Schedule", on_delete=models.PROTECT, related_name="monitoring_returns")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts in April")
    period = models.PositiveSmallIntegerField(help_text="1 to 12; April is P1")
    note = models.TextField("Note on the figures", blank=True,
                            help_text="Shown with the return and its report, for example that the figures are illustrative")
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(bases=[RevisionLinkedHistory], excluded_fields=["edit_count"])

    class Meta:
        ordering = ["schedule", "financial_year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "financial_year", "period"], name="monitoring_return_unique",
                violation_error_message="This schedule already has a return for this period.",
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1) & Q(period__lte=12), name="monitoring_period_in_year",
                violation_error_message="The period must be P1 (April) to P12 (March).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} return"

    @property
    def label(self) -> str:
        return f"{financial_year_label(self.financial_year)} P{self.period}"


def credit_problem(actual_to_date: Decimal | None, notes: str) -> str:
    """Why an entry's actual cannot stand ("" when it can): a credit (below £0) needs a note saying why."""
    if actual_to_date is not None and actual_to_date < 0 and not notes.strip():
        return f"An actual to date below £0 ({money(actual_to_date)}) is a credit: say why in the notes."
    return ""


class MonitoringEntry(models.Model):
    monitoring_return = models.ForeignKey(MonitoringReturn, on_delete=models.CASCADE, related_name="entries")
    budget_line = models.ForeignKey("agreements.BudgetLine", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    actual_to_date = models.DecimalField("Actual to date (£)", max_digits=14, decimal_places=2, null=True, blank=True)
    forecast_outturn = models.DecimalField(
        "Forecast outturn (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "budget_line"], name="monitoring_entry_one_per_line",
                violation_error_message="The return already has an entry for this budget line.",
            ),
            models.CheckConstraint(
                condition=Q(forecast_outturn__isnull=True) | Q(forecast_outturn__gte=Decimal("0")),
                name="monitoring_forecast_not_negative",
                violation_error_message="A forecast outturn cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry for budget line {self.budget_line_id}"

    def clean(self) -> None:
        super().clean()
        problem = credit_problem(self.actual_to_date, self.notes)
        if problem:
            raise ValidationError({"notes": problem})


class Thresholds(models.Model):
    """When a line's projected variance turns amber or red, set per agreement (defaults in DEFAULTS)."""

    agreement = models.OneToOneField("agreements.Agreement", on_delete=models.CASCADE,
                                     related_name="monitoring_thresholds")
    amber_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1"))
    red_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("3"))
    red_amount = models.DecimalField("Red from an overspend of (£)", max_digits=14, decimal_places=2,
                                     default=Decimal("50000"))

    # So a report as presented flags its lines with the thresholds of that day (budgets.monitoring.frozen).
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        verbose_name_plural = "monitoring thresholds"
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_percent__gte=0) & Q(red_percent__gte=models.F("amber_percent")) & Q(red_amount__gt=0),
                name="monitoring_thresholds_ordered",
                violation_error_message="Red must start at or above amber, and the amount must be above £0.",
            ),
        ]

    def __str__(self) -> str:
        return f"Thresholds: amber from {self.amber_percent}%, red from {self.red_percent}% or {money(self.red_amount)}"


class RiskShareRule(models.TextChoices):
    PROPORTIONAL = "proportional", "In proportion to contributions"
    FIXED = "fixed", "Fixed percentages"
    OWN_LINES = "own_lines", "Each partner bears its own lines (aligned budgets)"
    HOST = "host", "The host bears all"


class RiskShare(models.Model):
    """How a schedule's partners share a projected over- or underspend: a versioned document, changed with a reason."""

    schedule = models.OneToOneField("agreements.Schedule", on_delete=models.PROTECT, related_name="risk_share")
    rule = models.CharField(max_length=20, choices=RiskShareRule.choices, default=RiskShareRule.PROPORTIONAL)
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(bases=[RevisionLinkedHistory], excluded_fields=["edit_count"])

    def __str__(self) -> str:
        return f"Risk share: {self.get_rule_display()}"


class RiskSharePart(models.Model):
    """One partner's fixed percentage (the FIXED rule only); the parts add up to 100."""

    risk_share = models.ForeignKey(RiskShare, on_delete=models.CASCADE, related_name="parts")
    partner = models.ForeignKey("partnerships.Partner", on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(max_digits=6, decimal_places=3)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["risk_share", "partner"], name="risk_share_part_one_per_partner",
                                    violation_error_message="Each partner has one share."),
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="risk_share_percent_sane",
                                   violation_error_message="A share is between 0 % and 100 %."),
        ]

    def __str__(self) -> str:
        return f"{self.percent} %"


class ActionPlan(models.Model):
    """What will be done about a projected overspend flagged red: owner, actions, target saving, due date."""

    schedule = models.ForeignKey("agreements.Schedule", on_delete=models.PROTECT, related_name="action_plans")
    budget_line = models.ForeignKey("agreements.BudgetLine", on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(max_length=200, help_text="Who is responsible, for example the Head of Commissioning")
    actions = models.TextField()
    target_saving = models.DecimalField("Target saving (£)", max_digits=14, decimal_places=2)
    due = models.DateField("Due date")
    opened_in = models.CharField(max_length=20, help_text="The return it was opened for, such as 2018/19 P6")
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["closed_on", "due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_saving__gt=0), name="action_plan_saving_positive",
                                   violation_error_message="The target saving must be above £0."),
        ]

    def __str__(self) -> str:
        return f"Action plan for budget line {self.budget_line_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def latest_progress(self):
        notes = list(self.progress.all())  # prefetched on the monitoring pages
        return notes[-1] if notes else None


class ActionPlanProgress(models.Model):
    """A progress note on an action plan for one period."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="progress")
    financial_year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    note = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["financial_year", "period", "id"]

    def __str__(self) -> str:
        return f"P{self.period} progress"
