"""A schedule's risk-share rule as a versioned document: set and changed with a reason, one revision each.

Its snapshot is ``{"type": "risk_share", "fields": {"rule": ...}, "parts": [{"partner_id", "percent"}]}``;
the report reads the rule as it stood when the return was presented (`rule_as_of`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Schedule
from agreements.snapshots import partner_entry, plain
from budgets.monitoring.models import RiskShare, RiskSharePart, RiskShareRule
from documents.history_as_of import document_row, ordered, row_as_of, rows_as_of
from documents.models import Revision
from documents.revisions import latest_revision, revision_as_of
from documents.services import ChildList, apply_fields, document_create, document_update, sync_children
from partnerships.models import Partner

PARTS = ChildList("parts", "Share", RiskSharePart, "risk_share", ("partner_id", "percent"))


def default_rule(schedule: Schedule) -> str:
    """Before a rule is set: aligned budgets stay each partner's own; a pooled fund shares in proportion."""
    return RiskShareRule.PROPORTIONAL if schedule.pooled_fund else RiskShareRule.OWN_LINES


def _snapshot(share: RiskShare, partners: dict[str, Any], parts) -> dict[str, Any]:
    return {"type": "risk_share", "id": share.id, "schedule": {"id": share.schedule_id},
            "fields": {"rule": share.rule}, "partners": partners,
            "parts": [{"id": p.id, "partner_id": p.partner_id, "percent": plain(p.percent)} for p in parts]}


def risk_share_snapshot_by_id(pk: int) -> dict[str, Any]:
    share = RiskShare.objects.get(pk=pk)
    parts = list(RiskSharePart.objects.filter(risk_share=share).select_related("partner").order_by("position", "id"))
    return _snapshot(share, {str(p.partner_id): partner_entry(p.partner) for p in parts}, parts)


def rebuild_risk_share(revision: Revision) -> dict[str, Any]:
    share = document_row(RiskShare, revision)
    parts = ordered(rows_as_of(RiskSharePart, revision, risk_share_id=share.id), "position", "id")
    partners = {}
    for part in parts:
        partner = row_as_of(Partner, part.partner_id, revision)
        partners[str(part.partner_id)] = {"name": partner.name, "short_name": partner.short_name, "kind": partner.kind}
    return _snapshot(share, partners, parts)


def _check(schedule: Schedule, rule: str, parts: list[dict[str, Any]]) -> None:
    if rule not in RiskShareRule.values:
        raise ValidationError({"rule": "Choose how the partners share an over- or underspend."})
    if rule == RiskShareRule.FIXED:
        total = sum((Decimal(str(p["percent"])) for p in parts), Decimal("0"))
        if total != 100:
            raise ValidationError({"parts": f"The fixed percentages add up to {total.normalize():f} %; they must add "
                                            "up to 100 %."})
    if rule == RiskShareRule.HOST and schedule.host_id is None and schedule.lead_commissioner_id is None:
        raise ValidationError({"rule": f"Schedule {schedule.number} names no host or lead commissioner to bear it."})


@transaction.atomic
def risk_share_set(*, schedule: Schedule, rule: str, parts: list[dict[str, Any]], user=None, reason: str,
                   expected_edit_count: int | None = None) -> RiskShare:
    """Set or change the schedule's rule (parts: partner_id and percent, for fixed shares only) with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change."})
    _check(schedule, rule, parts)
    parts = parts if rule == RiskShareRule.FIXED else []
    stored = RiskShare.objects.filter(schedule=schedule).first()
    if stored is not None:
        ids = dict(stored.parts.values_list("partner_id", "pk"))
        parts = [{"id": ids.get(p["partner_id"]), **p} for p in parts]

    def write(share: RiskShare) -> None:
        if apply_fields(share, {"rule": rule}, ["rule"]):
            share.save()
        sync_children(share, PARTS, parts)

    if stored is None:
        return document_create(obj=RiskShare(schedule=schedule), fields={"rule": rule}, field_names=["rule"],
                               write=write, snapshot=risk_share_snapshot_by_id, user=user, reason=reason)
    document_update(obj=stored, write=write, snapshot=risk_share_snapshot_by_id,
                    expected_edit_count=expected_edit_count, user=user, reason=reason)
    return stored


def rule_as_of(schedule: Schedule, moment=None) -> dict[str, Any]:
    """The rule's snapshot now, or as it stood at `moment`; the default rule when none was set by then."""
    share = RiskShare.objects.filter(schedule=schedule).first()
    revision = None
    if share is not None:
        revision = revision_as_of(share, moment) if moment is not None else latest_revision(share)
    if revision is None:
        return {"type": "risk_share", "fields": {"rule": default_rule(schedule)}, "parts": [], "partners": {},
                "default": True}
    return revision.snapshot
