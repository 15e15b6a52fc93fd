"""Partners (councils and NHS bodies) and which partner each user works for."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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


class SignInRuleMatch(models.TextChoices):
    EMAIL_DOMAIN = "email_domain", "Email domain"
    GROUP = "group", "Group claim value"


class PartnerSignInRule(models.Model):
    """Which partner a person signing in with their organisation's account works for.

    A group claim value wins over an email domain, since one domain may serve several bodies
    (nhs.net). Read again at every sign-in, so a change here applies at the person's next one.
    """

    match = models.CharField(max_length=20, choices=SignInRuleMatch.choices)
    value = models.CharField(
        max_length=255, help_text="An email domain such as haringey.gov.uk, or a group claim value (for Entra ID, the group's object ID)"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sign_in_rules")

    history = HistoricalRecords()

    class Meta:
        ordering = ["match", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "value"],
                name="partner_sign_in_rule_unique",
                violation_error_message="There is already a rule for this email domain or group.",
            ),
            models.CheckConstraint(
                condition=~Q(match="email_domain") | Q(value=Lower("value")),
                name="partner_sign_in_rule_domain_lower_case",
                violation_error_message="Write the email domain in lower case, without the @.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_match_display()} {self.value} → {self.partner}"

    def clean(self) -> None:
        self.value = self.value.strip()
        if self.match == SignInRuleMatch.EMAIL_DOMAIN:
            self.value = self.value.lower().removeprefix("@")
            if "." not in self.value or "@" in self.value or " " in self.value:
                raise ValidationError({"value": f"“{self.value}” is not an email domain. Write it like haringey.gov.uk."})


class RoleSignInRule(models.Model):
    """The role a group claim value gives; someone in none of these groups signs in as a viewer."""

    group = models.CharField(max_length=255, help_text="The group claim value (for Entra ID, the group's object ID)")
    role = models.CharField(max_length=30, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_sign_in_rules",
        help_text="Only for staff of this partner; leave blank for everyone",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "role", "partner"],
                name="role_sign_in_rule_unique",
                violation_error_message="There is already a rule giving this role to this group.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal API token: it acts as its user, with their partner's scope and their role.

    Only a hash of the token is stored; the token itself is shown once, when it is created.
    `prefix` (the token's first characters, not secret) finds the row and names it on the page.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, for example “Power BI budget report”")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(null=True, blank=True, help_text="The token stops working at the end of this day")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_per_user",
                violation_error_message="You already have a token with this name: choose another name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


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
