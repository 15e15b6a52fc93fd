"""Numbered schedules of an agreement and their ordered child items."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agreements.models.agreement import Agreement
from documents.models import RevisionLinkedHistory
from partnerships.models import Partner


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_FORCE = "in_force", "In force"
    WITHDRAWN = "withdrawn", "Withdrawn"


ARRANGEMENT_FIELDS = {
    "pooled_fund": "Pooled fund",
    "lead_commissioning": "Lead commissioning",
    "integrated_provision": "Integrated provision",
    "aligned_budgets": "Aligned budgets",
}


class Schedule(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="schedules")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300, help_text="For example, Children's commissioned services")
    status = models.CharField(max_length=20, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT)

    pooled_fund = models.BooleanField(default=False)
    lead_commissioning = models.BooleanField(default=False)
    integrated_provision = models.BooleanField(default=False)
    aligned_budgets = models.BooleanField(default=False)

    lead_commissioner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pool_manager = models.CharField(
        max_length=200, blank=True, help_text="The officer who manages the pooled fund, if there is one"
    )

    # The rows of the signed schedule's table, in the seed's order.
    service_name = models.CharField("Name of service", max_length=300)
    agreement_type = models.CharField("Type of agreement", max_length=100, default="Section 75")
    service_type = models.CharField(
        "Type of service", max_length=300, blank=True,
        help_text="For example, CCG lead commissioner with aligned budgets",
    )
    delegated_function = models.TextField(blank=True)
    services = models.TextField("The services", blank=True)
    eligibility = models.TextField("Eligibility and assessment procedures", blank=True)
    resources = models.TextField(
        "Resources for managing the partnership", blank=True, help_text="Separate paragraphs with a blank line"
    )
    specification_title = models.CharField(
        max_length=200, blank=True, default="Outline specification",
        help_text="Heading of the outline specification, such as 'Outline specification - arrangements for lead commissioning'",
    )
    review_due = models.DateField(
        "Review date", null=True, blank=True, help_text="The date by which the partners should next review this schedule",
    )
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(bases=[RevisionLinkedHistory], excluded_fields=["edit_count"])

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="schedule_number_unique_in_agreement",
                violation_error_message="This agreement already has a schedule with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="schedule_number_positive",
                violation_error_message="Schedule numbers start at 1.",
            ),
            models.CheckConstraint(
                condition=Q(pooled_fund=True) | Q(lead_commissioning=True)
                | Q(integrated_provision=True) | Q(aligned_budgets=True),
                name="schedule_has_arrangement",
                violation_error_message=(
                    "Choose at least one type of arrangement: pooled fund, lead commissioning, "
                    "integrated provision or aligned budgets."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Schedule {self.number}: {self.title}"

    @property
    def arrangements(self) -> list[str]:
        return [label for field, label in ARRANGEMENT_FIELDS.items() if getattr(self, field)]


class ScheduleItem(models.Model):
    """An ordered child of a schedule; its number is its place in the order."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Aim(ScheduleItem):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="aims")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.text[:80]


class Outcome(ScheduleItem):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.text[:80]


class StrategyDocument(ScheduleItem):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="strategy_documents")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.text[:80]


class KeyPerformanceIndicator(ScheduleItem):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="kpis")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta(ScheduleItem.Meta):
        verbose_name = "key performance indicator"

    def __str__(self) -> str:
        return self.text[:80]


class Risk(ScheduleItem):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField()
    mitigation = models.TextField(help_text="Separate paragraphs with a blank line")
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.risk[:80]


class SpecificationSection(ScheduleItem):
    """A numbered section of the outline specification, such as "1. Context"."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="specification_sections")
    heading = models.CharField(max_length=300)
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.heading


class SpecificationParagraph(models.Model):
    """A numbered paragraph (1.1, 1.2, …) of a specification section, with an optional list."""

    section = models.ForeignKey(SpecificationSection, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    list_items = models.TextField(
        blank=True, help_text="Items listed under the paragraph (i., ii., …), one per line"
    )
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]
