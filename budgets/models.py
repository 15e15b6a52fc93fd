"""A record of each budget import (the budget lines themselves are a schedule's, in agreements.models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from agreements.models import BudgetType, Schedule
from documents.models import Revision


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


from budgets.monitoring.models import (  # noqa: E402,F401  (registered here)
    ActionPlan,
    ActionPlanProgress,
    MonitoringEntry,
    MonitoringReturn,
    RiskShare,
    RiskSharePart,
    Thresholds,
)
