"""Budget lines of a schedule, and a record of each budget import."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.budget_values import financial_year_label
from agreements.models import Schedule
from documents.models import Revision, RevisionLinkedHistory
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

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
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
            from agreements.models import Party

            if not Party.objects.filter(agreement_id=self.schedule.agreement_id, partner_id=self.partner_id).exists():
                raise ValidationError(
                    {"partner": f"{self.partner} is not a party to agreement {self.schedule.agreement.reference}."}
                )


class ImportLayout(models.TextChoices):
    BUDGET_LINES = "budget_lines", "Budget lines"
    SCHEDULE_TABLE = "schedule_table", "Schedule table"


class BudgetImport(models.Model):
    """A record of one confirmed import: the file, its checksum, who, when and what it changed."""

    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="budget_imports")
    file = models.FileField(upload_to="budget-imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file")
    layout = models.CharField(max_length=20, choices=ImportLayout.choices)
    financial_year = models.PositiveSmallIntegerField(null=True, blank=True)
    budget_type = models.CharField(max_length=10, choices=BudgetType.choices, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    created_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%d %b %Y})"
