"""Variations: a change to an agreement that takes effect only when every party has agreed it.

A variation gathers the draft changes of the agreement and its schedules (the documents'
latest revisions); each party records its own decision; the last party's agreement gives every
document it touched its next agreed version, in one transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agreements.models.agreement import Agreement
from documents.models import Decision, Version
from partnerships.models import Partner

NOTICE_LIMIT = 10 * 1024 * 1024  # a scanned decision notice or minute, at most 10 MB


class VariationStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for decisions"
    AGREED = "agreed", "Agreed by every party"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Variation(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="variations")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    effective_date = models.DateField(help_text="The date the variation is intended to take effect")
    status = models.CharField(max_length=20, choices=VariationStatus.choices, default=VariationStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it took effect, was declined or withdrawn")
    withdrawn_reason = models.TextField(blank=True, help_text="Why its proposer withdrew it")
    # Raised by every change to what the variation carries: a decision pins the count its page showed.
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="variation_number_unique_in_agreement",
                violation_error_message="This agreement already has a variation with this number.",
            ),
        ]

    def __str__(self) -> str:
        return f"Variation {self.number}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == VariationStatus.PROPOSED


class VariationDocument(models.Model):
    """One document (the agreement or one of its schedules) whose draft the variation carries."""

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="documents")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=100, help_text="Agreement, Schedule 6")
    # True while the variation is proposed: a document is in at most one open variation.
    open = models.BooleanField(default=True)
    before = models.ForeignKey(Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.OneToOneField(
        Version, null=True, blank=True, on_delete=models.PROTECT, related_name="variation_document",
        help_text="The agreed version the variation gave the document",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(open=True), name="document_in_one_open_variation",
                violation_error_message="This document is already in an open variation.",
            ),
            models.UniqueConstraint(
                fields=["variation", "content_type", "object_id"], name="variation_document_once",
                violation_error_message="This document is already in the variation.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class PartyOutcome(models.TextChoices):
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"


class PartyDecision(models.Model):
    """One party's decision on a variation, for the exact content its legal officer was shown."""

    variation = models.ForeignKey(Variation, on_delete=models.PROTECT, related_name="decisions")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=PartyOutcome.choices)
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="party_decision",
    )
    reason = models.TextField(blank=True, help_text="Why the party declined")
    variation_edit_count = models.PositiveIntegerField(help_text="The variation's edit count the decision was for")
    revisions = models.JSONField(default=dict, help_text="Each document's revision the decision was for")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    illustrative = models.BooleanField(default=False, help_text="Demo data the seed papers do not give")

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["variation", "partner"], name="one_decision_per_party",
                violation_error_message="This party has already recorded its decision on the variation.",
            ),
            models.CheckConstraint(
                condition=Q(outcome="declined") | Q(decision__isnull=False),
                name="agreement_has_decision",
                violation_error_message="An agreement needs the decision that made it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_outcome_display()}"


class DecisionNotice(models.Model):
    """A scanned decision notice or minute (a PDF), kept in the database so every app node serves it."""

    party_decision = models.OneToOneField(PartyDecision, on_delete=models.PROTECT, related_name="notice")
    file_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=NOTICE_LIMIT), name="notice_within_limit",
                violation_error_message="A decision notice can be at most 10 MB.",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name
