"""The overarching agreement, its parties and its clauses."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from documents.models import RevisionLinkedHistory
from partnerships.models import Partner

DEFAULT_LEGAL_BASIS = (
    "Section 75 of the National Health Service Act 2006 and the NHS Bodies and Local Authorities "
    "Partnership Arrangements Regulations 2000 (as amended)"
)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SIGNED = "signed", "Signed"
    IN_FORCE = "in_force", "In force"
    VARIED = "varied", "Varied"
    EXPIRED = "expired", "Expired"
    REPLACED = "replaced", "Replaced"
    TERMINATED = "terminated", "Terminated"


# The lifecycle: which statuses may follow each status.
AGREEMENT_TRANSITIONS: dict[str, set[str]] = {
    AgreementStatus.DRAFT: {AgreementStatus.APPROVED, AgreementStatus.TERMINATED},
    AgreementStatus.APPROVED: {AgreementStatus.SIGNED, AgreementStatus.DRAFT, AgreementStatus.TERMINATED},
    AgreementStatus.SIGNED: {AgreementStatus.IN_FORCE, AgreementStatus.TERMINATED},
    AgreementStatus.IN_FORCE: {
        AgreementStatus.VARIED, AgreementStatus.EXPIRED, AgreementStatus.REPLACED, AgreementStatus.TERMINATED,
    },
    AgreementStatus.VARIED: {
        AgreementStatus.VARIED, AgreementStatus.EXPIRED, AgreementStatus.REPLACED, AgreementStatus.TERMINATED,
    },
    AgreementStatus.EXPIRED: {AgreementStatus.REPLACED},
    AgreementStatus.REPLACED: set(),
    AgreementStatus.TERMINATED: set(),
}


class Agreement(models.Model):
    title = models.CharField(max_length=300)
    reference = models.CharField(max_length=60, unique=True, error_messages={
        "unique": "Another agreement already has this reference.",
    })
    legal_basis = models.TextField(default=DEFAULT_LEGAL_BASIS)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    dated = models.DateField(null=True, blank=True, help_text="The date the agreement is dated")
    effective_from = models.DateField(null=True, blank=True)
    expires = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    notice_period_months = models.PositiveSmallIntegerField(
        "Notice period (months)", null=True, blank=True,
        help_text="Months of notice a party must give before the agreement expires, for example 6",
    )
    partners = models.ManyToManyField(Partner, through="Party", related_name="agreements")
    edit_count = models.PositiveIntegerField(default=0, editable=False, help_text="Raised by every save; guards against lost updates")

    history = HistoricalRecords(bases=[RevisionLinkedHistory], excluded_fields=["edit_count"])

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__isnull=True) | Q(effective_from__isnull=True) | Q(expires__gt=F("effective_from")),
                name="agreement_expires_after_effective",
                violation_error_message="The agreement must expire after the date it takes effect.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class PartyRole(models.TextChoices):
    HOST = "host", "Host"
    LEAD_COMMISSIONER = "lead_commissioner", "Lead commissioner"
    PARTY = "party", "Party"


class Party(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=30, choices=PartyRole.choices, default=PartyRole.PARTY)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner"],
                name="party_once_per_agreement",
                violation_error_message="This partner is already a party to the agreement.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_role_display()})"


class Clause(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=200)
    text = models.TextField()

    history = HistoricalRecords(bases=[RevisionLinkedHistory])

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.heading
