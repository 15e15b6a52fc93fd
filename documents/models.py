"""What every versioned document shares: revisions, the historical-row link, decisions and versions.

django-simple-history records every row; a Revision groups the rows one action wrote (one save
of an edit form, one import, one restore) and keeps the whole document as it stood after that
action, so history, compare, "as it stood on" and agreed versions read as one document.

These models began in the agreements app and moved here without touching the database: they
keep their tables ("agreements_revision", ...), and their index and constraint names.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RevisionKind(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    IMPORTED = "imported", "Imported"
    RESTORED = "restored", "Restored"
    LOADED = "loaded", "Loaded"
    ADMIN = "admin", "Edited in the admin"
    DELETED = "deleted", "Deleted"


class Revision(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=RevisionKind.choices)
    reason = models.TextField()
    summary = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(default=dict, help_text="The whole document as it stood after this change")

    class Meta:
        db_table = "agreements_revision"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="revision_document_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d %b %Y %H:%M}: {self.reason}"


class RevisionLinkedHistory(models.Model):
    """Abstract base of every historical model: which revision wrote the historical row."""

    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=True
    )

    class Meta:
        abstract = True


class Decision(models.Model):
    """A decision by a partner's body, such as Cabinet Member Signing on 6 February 2018."""

    body = models.CharField(max_length=200, help_text="Who decided: Cabinet, governing body, Cabinet Member Signing")
    decided_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True, help_text="Forward plan or minute reference")
    key_decision = models.BooleanField(default=False)
    summary = models.TextField(blank=True)

    class Meta:
        db_table = "agreements_decision"
        ordering = ["-decided_on", "body"]

    def __str__(self) -> str:
        text = f"{self.body}, {self.decided_on:%-d %B %Y}"
        return f"{text} ({self.reference})" if self.reference else text


class Version(models.Model):
    """An agreed (or approved) version N of a document: immutable, it points at a revision."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField()
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="versions")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="versions")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "agreements_version"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"],
                name="version_number_unique",
                violation_error_message="This document already has a version with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="version_number_positive",
                violation_error_message="Version numbers start at 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class StoredFile(models.Model):
    """A file kept in the database (`documents.storage.DatabaseStorage`), so every app node sees it:
    uploads waiting between preview and confirm, the files kept as evidence of each import."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.name
