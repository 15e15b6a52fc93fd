"""Joint boards and their versioned terms of reference."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from agreements.models import Agreement
from documents.models import RevisionLinkedHistory
from partnerships.models import Partner


class Board(models.Model):
    name = models.CharField(max_length=300, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text="For example, CHJCB")
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reporting_boards",
        help_text="The body this board reports to",
    )
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="boards")
    description = models.TextField(blank=True)
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    # Each save, including a change to the agreements it manages, writes a historical board row
    # stamped with its revision; the agreement links of that moment hang off that row.
    history = HistoricalRecords(m2m_fields=[agreements], bases=[RevisionLinkedHistory], excluded_fields=["edit_count"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reports_to=F("id")),
                name="board_not_reporting_to_itself",
                violation_error_message="A board cannot report to itself.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TermsStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    UNDER_REVIEW = "under_review", "Under review"


class TermsOfReference(models.Model):
    board = models.OneToOneField(Board, on_delete=models.PROTECT, related_name="terms")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=TermsStatus.choices, default=TermsStatus.DRAFT)
    purpose = models.TextField("Purpose and remit")
    chair = models.CharField(max_length=200, blank=True, help_text="Leave blank if the chair is to be confirmed")
    vice_chair = models.CharField(max_length=200, blank=True, help_text="Leave blank if to be confirmed or none")
    quorum = models.TextField(blank=True)
    meeting_frequency = models.TextField(help_text="For example, The board will meet every other month.")
    resources = models.TextField(
        "Resources", blank=True,
        help_text="Paragraphs separated by a blank line; a line starting '- ' is a bullet; '## ' a sub-heading",
    )
    review_due = models.DateField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(bases=[RevisionLinkedHistory], excluded_fields=["edit_count"])

    class Meta:
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"

    def __str__(self) -> str:
        return self.title


class TermsItem(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Duty(TermsItem):
    """A numbered duty, with its label kept as written (Cambridgeshire has no 2.10)."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="duties")
    label = models.CharField(max_length=20, help_text="As written, such as 2.11")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta(TermsItem.Meta):
        verbose_name_plural = "duties"

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}"


class AccountabilityLine(TermsItem):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="accountability_lines")
    label = models.CharField(max_length=20, blank=True)
    reports_to = models.ForeignKey(Board, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reports_to_name = models.CharField(max_length=300, blank=True, help_text="If the body is not a board recorded here")
    frequency = models.CharField(max_length=100, blank=True, help_text="For example, regular, annual, as requested")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}"


class FinancialGovernanceItem(TermsItem):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="financial_items")
    label = models.CharField(max_length=20, blank=True)
    text = models.TextField(help_text="A line starting '- ' is a bullet")
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}"


class Member(TermsItem):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=300)
    organisation = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(max_length=300, blank=True, help_text="If the organisation is not a partner")
    voting = models.BooleanField(default=True)
    substitute = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta(TermsItem.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(organisation_name=""),
                name="member_one_organisation",
                violation_error_message="Choose a partner or type an organisation's name, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.role


class RemitItem(TermsItem):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="remit_items")
    included = models.BooleanField(default=True, help_text="Within the remit (ticked) or outside it")
    text = models.TextField()
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.text[:80]


class TermsSection(TermsItem):
    """Any further section the terms hold, such as "Link with Local Commissioning Groups"."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="other_sections")
    heading = models.CharField(max_length=300)
    body = models.TextField(help_text="Paragraphs separated by a blank line; a line starting '- ' is a bullet")
    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    def __str__(self) -> str:
        return self.heading


class MeetingSchedule(models.Model):
    """When a board meets: from a first meeting, every N months (the same day of the month)."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="meeting_schedule")
    first_meeting = models.DateField(help_text="The date of the first meeting in this pattern")
    every_months = models.PositiveSmallIntegerField(
        "Meets every (months)", default=1, help_text="1 for monthly, 2 for every other month, 3 for quarterly",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__gte=1) & Q(every_months__lte=12),
                name="meeting_schedule_every_1_to_12_months",
                violation_error_message="A board meets between every month and once a year: enter 1 to 12 months.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board}: every {self.every_months} month(s) from {self.first_meeting}"


class MeetingChange(models.Model):
    """One meeting of the pattern moved to another date, or cancelled (no new date)."""

    schedule = models.ForeignKey(MeetingSchedule, on_delete=models.CASCADE, related_name="changes")
    scheduled_for = models.DateField(help_text="The date the pattern gives for this meeting")
    moved_to = models.DateField(null=True, blank=True, help_text="Leave blank if the meeting is cancelled")

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheduled_for"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "scheduled_for"], name="meeting_change_once_per_meeting",
                violation_error_message="This meeting has already been moved or cancelled.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheduled_for} moved to {self.moved_to}" if self.moved_to else f"{self.scheduled_for} cancelled"
