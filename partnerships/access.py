"""Who may do what: a user's partner, their role and the capabilities roles give.

A user works for one partner. What that lets them see is scoped by the app that owns the
records, starting from `user_partner` (so this module names none of them). Within what they see, their role (an auth group) decides what they may do; a
forbidden action answers 403 with a plain explanation.
"""

from __future__ import annotations

from enum import Enum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from partnerships.models import Partner, Profile, Role


class Capability(Enum):
    EDIT_AGREEMENT = ("edit agreements and schedules", {Role.COMMISSIONER})
    EDIT_BUDGETS = ("edit and import budget lines", {Role.COMMISSIONER, Role.FINANCE_OFFICER})
    AGREE_VERSIONS = ("agree versions and restore earlier ones", {Role.LEGAL_OFFICER})
    EDIT_GOVERNANCE = ("edit boards and terms of reference", {Role.COMMISSIONER})
    APPROVE_TERMS = ("record the approval of terms of reference", {Role.LEGAL_OFFICER})
    ENTER_MONITORING = ("enter and import monitoring returns", {Role.COMMISSIONER, Role.FINANCE_OFFICER})
    PRESENT_REPORTS = ("mark a finance report as presented to the board", {Role.COMMISSIONER, Role.LEGAL_OFFICER})

    def __init__(self, action: str, roles: set[Role]):
        self.action = action
        self.roles = roles


ROLE_NAMES = {role.value: role.label for role in Role}


def user_profile(user) -> Profile | None:
    """The signed-in user's profile with its partner, read in one query the first time a request asks
    (every request does: its log lines name the partner) and kept on the user object after that."""
    if not getattr(user, "is_authenticated", False):
        return None
    relation = get_user_model().profile.related
    if not relation.is_cached(user):
        profile = Profile.objects.select_related("partner").filter(user_id=user.pk).first()
        relation.set_cached_value(user, profile)
        if profile is not None:
            relation.field.set_cached_value(profile, user)  # both ways, as Django's own read does
    return relation.get_cached_value(user)


def user_partner(user) -> Partner | None:
    profile = user_profile(user)
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
