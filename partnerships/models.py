"""Partners (councils and NHS bodies) and which partner each user works for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class PartnerKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CCG = "ccg", "Clinical commissioning group (CCG)"
    ICB = "icb", "Integrated care board (ICB)"
    NHS_ENGLAND = "nhs_england", "NHS England"
    NHS_TRUST = "nhs_trust", "NHS trust"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    OTHER = "other", "Other"


NHS_KINDS = frozenset({PartnerKind.CCG, PartnerKind.ICB, PartnerKind.NHS_ENGLAND, PartnerKind.NHS_TRUST})
LOCAL_AUTHORITY_KINDS = frozenset({PartnerKind.LOCAL_AUTHORITY})


class Partner(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="For example, Haringey Council")
    short_name = models.CharField(max_length=40, help_text="For example, LBH")
    kind = models.CharField(max_length=30, choices=PartnerKind.choices)
    code = models.CharField(
        max_length=20, blank=True, help_text="ODS code for NHS bodies, GSS code for local authorities"
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The body that took over this partner's functions (CCGs became ICBs on 1 July 2022)",
    )
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="partner_code_unique",
                violation_error_message="Another partner already has this code.",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="partner_active_dates_in_order",
                violation_error_message="A partner cannot stop being active before it started.",
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("id")),
                name="partner_not_own_successor",
                violation_error_message="A partner cannot be its own successor.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_nhs_body(self) -> bool:
        return self.kind in NHS_KINDS

    @property
    def is_local_authority(self) -> bool:
        return self.kind in LOCAL_AUTHORITY_KINDS


class Role(models.TextChoices):
    """The four roles; each is a Django auth group of the same name."""

    COMMISSIONER = "commissioner", "Commissioner"
    LEGAL_OFFICER = "legal officer", "Legal officer"
    FINANCE_OFFICER = "finance officer", "Finance officer"
    VIEWER = "viewer", "Viewer"


class Profile(models.Model):
    """The partner a user works for. A user's role is the auth group they belong to."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="staff")

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} ({self.partner.short_name})"


def new_calendar_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class UserSettings(models.Model):
    """A user's own choices: the weekly digest, and the secret in their calendar feed's address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="due_settings")
    weekly_digest = models.BooleanField(default=True, help_text="Email me a weekly digest of what is due")
    item_reminders = models.BooleanField(default=True, help_text="Email me a reminder before each date")
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)

    class Meta:
        verbose_name = "user settings"
        verbose_name_plural = "user settings"

    def __str__(self) -> str:
        return f"Settings of {self.user}"


class SentReminder(models.Model):
    """One email sent, so `send_reminders` run twice never sends it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, help_text="digest:<ISO week> or reminder:<item key>")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminder_sent_once",
                                    violation_error_message="This reminder was already sent to this user."),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.user}"
