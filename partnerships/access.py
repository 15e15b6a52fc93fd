"""Who may see and do what: partner scoping and role capabilities.

A user works for one partner and sees only the agreements their partner is party to (and the
boards managing those agreements or having their partner as a member); anything else answers
404 so its existence is not revealed. Within what they see, their role (an auth group) decides
what they may do; a forbidden action answers 403 with a plain explanation.
"""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from agreements.models import Agreement, Schedule
from partnerships.models import Partner, Role


class Capability(Enum):
    EDIT_AGREEMENT = ("edit agreements and schedules", {Role.COMMISSIONER})
    EDIT_BUDGETS = ("edit and import budget lines", {Role.COMMISSIONER, Role.FINANCE_OFFICER})
    AGREE_VERSIONS = ("agree versions and restore earlier ones", {Role.LEGAL_OFFICER})
    EDIT_GOVERNANCE = ("edit boards and terms of reference", {Role.COMMISSIONER})
    APPROVE_TERMS = ("record the approval of terms of reference", {Role.LEGAL_OFFICER})

    def __init__(self, action: str, roles: set[Role]):
        self.action = action
        self.roles = roles


ROLE_NAMES = {role.value: role.label for role in Role}


def user_partner(user) -> Partner | None:
    profile = getattr(user, "profile", None)
    return profile.partner if profile is not None else None


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_s75_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._s75_roles = cached
    return cached


def role_label(user) -> str:
    if user.is_superuser:
        return "Administrator"
    labels = sorted(ROLE_NAMES[name] for name in user_roles(user) if name in ROLE_NAMES)
    return ", ".join(labels) or "No role"


def can(user, capability: Capability) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & {role.value for role in capability.roles})


def require(user, capability: Capability) -> None:
    """Raise 403 with a plain explanation when the user's role may not do this."""
    if not can(user, capability):
        who = " or ".join(sorted(role.label.lower() + "s" for role in capability.roles))
        raise PermissionDenied(
            f"Only {who} can {capability.action}. You are signed in as {role_label(user).lower()}. "
            "Ask a colleague with that role, or your administrator to change your role."
        )


def agreements_visible_to(user) -> QuerySet[Agreement]:
    if not user.is_authenticated:
        return Agreement.objects.none()
    if user.is_superuser:
        return Agreement.objects.all()
    partner = user_partner(user)
    if partner is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(parties__partner=partner).distinct()


def agreement_for(user, reference: str) -> Agreement:
    try:
        return agreements_visible_to(user).get(reference=reference)
    except Agreement.DoesNotExist:
        raise Http404("No agreement found.") from None


def schedule_for(user, reference: str, number: int) -> Schedule:
    agreement = agreement_for(user, reference)
    try:
        return Schedule.objects.select_related("agreement").get(agreement=agreement, number=number)
    except Schedule.DoesNotExist:
        raise Http404("No schedule found.") from None


def boards_visible_to(user):
    from governance.models import Board

    if not user.is_authenticated:
        return Board.objects.none()
    if user.is_superuser:
        return Board.objects.all()
    partner = user_partner(user)
    if partner is None:
        return Board.objects.none()
    return Board.objects.filter(
        Q(agreements__parties__partner=partner) | Q(terms__members__organisation=partner)
    ).distinct()


def board_for(user, pk: int):
    from governance.models import Board

    try:
        return boards_visible_to(user).get(pk=pk)
    except Board.DoesNotExist:
        raise Http404("No board found.") from None


def board_choices(user, *, keep: list[int | None] = (), exclude: int | None = None):
    """Boards a form may offer this user: those they see, plus any already chosen (`keep`)."""
    from governance.models import Board

    chosen = [pk for pk in keep if pk is not None]
    boards = Board.objects.filter(Q(pk__in=boards_visible_to(user).values("pk")) | Q(pk__in=chosen))
    if exclude is not None:
        boards = boards.exclude(pk=exclude)
    return boards.order_by("name")
