"""Setting an agreement's monitoring thresholds (when a line's projected overspend turns amber or red),
with who, when and why kept by the model's history (simple-history), as the admin did before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Agreement
from budgets.monitoring.models import Thresholds
from budgets.monitoring.variance import Limits
from documents.services import NothingChanged

FIELDS = ("amber_percent", "red_percent", "red_amount")


class ThresholdsChanged(Exception):
    """Someone saved other thresholds after this user opened the page."""


def limits_values(limits: Limits) -> dict[str, str]:
    """Each threshold as a person writes it: {"amber_percent": "1", "red_percent": "3", "red_amount": "50000"}."""
    return {name: f"{getattr(limits, name).normalize():f}" for name in FIELDS}


def limits_key(limits: Limits) -> str:
    """The values a page showed, to tell on save whether someone changed them since ("1|3|50000")."""
    return "|".join(limits_values(limits).values())


def current_limits(agreement: Agreement) -> Limits:
    return Limits.of(Thresholds.objects.filter(agreement=agreement).first())


@transaction.atomic
def thresholds_set(*, agreement: Agreement, amber_percent: Decimal, red_percent: Decimal, red_amount: Decimal,
                   user, reason: str, shown: str) -> Thresholds:
    """Save the agreement's thresholds; refused when they changed since `shown`, or are unchanged or out of order."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change."})
    stored = Thresholds.objects.select_for_update().filter(agreement=agreement).first()
    if limits_key(Limits.of(stored)) != shown:
        raise ThresholdsChanged("Someone changed these thresholds after you opened this page. "
                                "The page now shows theirs: check them and save again.")
    thresholds = stored or Thresholds(agreement=agreement)
    values = {"amber_percent": amber_percent, "red_percent": red_percent, "red_amount": red_amount}
    if stored is not None and all(getattr(stored, name) == value for name, value in values.items()):
        raise NothingChanged
    for name, value in values.items():
        setattr(thresholds, name, value)
    thresholds.full_clean(exclude=["agreement"], validate_unique=False)
    thresholds._history_user = user
    thresholds._change_reason = reason.strip()
    thresholds.save()
    return thresholds


@dataclass(frozen=True)
class ThresholdsChange:
    when: datetime
    who: str
    reason: str
    limits: Limits


def thresholds_history(agreement: Agreement) -> list[ThresholdsChange]:
    """Every saved set of thresholds, newest first: when, by whom, why, and the values."""
    rows = (Thresholds.history.filter(agreement_id=agreement.pk).select_related("history_user")
            .order_by("-history_date", "-history_id"))
    return [ThresholdsChange(
        row.history_date,
        (row.history_user.get_full_name() or row.history_user.username) if row.history_user else "the system",
        row.history_change_reason or "", Limits(row.amber_percent, row.red_percent, row.red_amount),
    ) for row in rows]
