"""Who someone signing in with their organisation's account is here: their partner and roles.

The rules are the administrator's (`PartnerSignInRule`, `RoleSignInRule`) and are read again at
every sign-in, so a person who moves to another partner, changes role or whose organisation is
no longer set up gets what the rules say now, at their next sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from simple_history.utils import update_change_reason

from partnerships.models import Partner, PartnerSignInRule, Profile, Role, RoleSignInRule, SignInRuleMatch


class SignInRefused(Exception):
    """The person may not sign in. `message` is for them; `reason` is for the log (no token, no address)."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Assignment:
    partner: Partner
    roles: frozenset[str]


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def sign_in_assignment(*, email: str, groups: list[str], ask: str) -> Assignment:
    """The partner and roles the rules give; refused when no rule, or two partners' rules, match."""
    domain = email_domain(email)
    by_group = {rule.partner for rule in PartnerSignInRule.objects.filter(match=SignInRuleMatch.GROUP, value__in=groups).select_related("partner")}
    if len(by_group) > 1:
        names = " and ".join(sorted(partner.name for partner in by_group))
        raise SignInRefused(
            f"Your account's groups place you at both {names}, so we cannot tell which partner you work for. "
            f"Ask {ask} to correct the sign-in rules.",
            reason=f"groups match {len(by_group)} partners",
        )
    partner = next(iter(by_group), None)
    if partner is None:
        rule = PartnerSignInRule.objects.filter(match=SignInRuleMatch.EMAIL_DOMAIN, value=domain).select_related("partner").first()
        if rule is None:
            raise SignInRefused(
                f"Your organisation’s email domain, {domain}, is not set up for this service. "
                f"Ask {ask} to add it, saying which council or NHS body you work for.",
                reason=f"no partner for email domain {domain}",
            )
        partner = rule.partner
    rules = RoleSignInRule.objects.filter(Q(partner__isnull=True) | Q(partner=partner), group__in=groups)
    roles = frozenset(rules.values_list("role", flat=True)) or frozenset({Role.VIEWER.value})
    return Assignment(partner=partner, roles=roles)


@transaction.atomic
def staff_member_sign_in(*, user, email: str, given_name: str, family_name: str, assignment: Assignment):
    """Create (when `user` is None) or update the person from their claims and the rules' assignment."""
    User = get_user_model()
    if user is None:
        user = User(username=email.lower(), email=email)
        user.set_unusable_password()
    elif not user.is_active:
        raise SignInRefused(
            "Your account for this service has been switched off. Ask your administrator if you still need it.",
            reason=f"user {user.pk} is inactive",
        )
    elif user.is_staff or user.is_superuser:
        raise SignInRefused(
            "This email address belongs to an administrator account, which signs in with its username and password.",
            reason=f"user {user.pk} is staff",
        )
    user.email = email
    user.first_name, user.last_name = given_name, family_name
    user.full_clean(validate_unique=user._state.adding)
    user.save()

    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    if profile._state.adding or profile.partner_id != assignment.partner.pk:
        profile.partner = assignment.partner
        profile.full_clean()
        profile.save()
        update_change_reason(profile, "Partner from the sign-in rules at sign-in")

    role_names = {role.value for role in Role}
    current = set(user.groups.filter(name__in=role_names).values_list("name", flat=True))
    if current != assignment.roles:
        user.groups.remove(*Group.objects.filter(name__in=current - assignment.roles))
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in sorted(assignment.roles - current)))
    return user
