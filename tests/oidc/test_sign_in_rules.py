"""The sign-in rules (partnerships.sign_in): partner by group or email domain, roles by group, re-read each time."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from partnerships.models import Partner, PartnerSignInRule, RoleSignInRule, SignInRuleMatch
from partnerships.sign_in import SignInRefused, sign_in_assignment, staff_member_sign_in

pytestmark = pytest.mark.django_db
ASK = "the section 75 team"


def sign_in(email: str, groups: list[str]):
    user = get_user_model().objects.filter(email__iexact=email).first()
    assignment = sign_in_assignment(email=email, groups=groups, ask=ASK)
    return staff_member_sign_in(user=user, email=email, given_name="Sam", family_name="Lee", assignment=assignment)


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_email_domain_gives_the_partner_and_no_group_gives_viewer(sign_in_rules):
    user = sign_in("Sam.Lee@Haringey.gov.uk", [])
    assert user.username == "sam.lee@haringey.gov.uk" and user.profile.partner == sign_in_rules["haringey"]
    assert roles(user) == {"viewer"}


def test_a_group_wins_over_the_email_domain_shared_by_many_nhs_bodies(sign_in_rules):
    user = sign_in("sam.lee@nhs.net", ["ncl-icb-staff", "s75-legal", "s75-commissioners"])
    assert user.profile.partner == sign_in_rules["icb"]
    assert roles(user) == {"legal officer", "commissioner"}


def test_an_unmapped_domain_is_refused_and_creates_no_user(sign_in_rules):
    with pytest.raises(SignInRefused) as refusal:
        sign_in_assignment(email="sam@example.org", groups=["s75-commissioners"], ask=ASK)
    assert "example.org" in refusal.value.message and ASK in refusal.value.message
    assert "sam" not in refusal.value.reason  # the log line names the domain, not the person
    assert not get_user_model().objects.exists()


def test_groups_naming_two_partners_are_refused(sign_in_rules):
    PartnerSignInRule.objects.create(match=SignInRuleMatch.GROUP, value="haringey-staff", partner=sign_in_rules["haringey"])
    with pytest.raises(SignInRefused, match="2 partners") as refusal:
        sign_in_assignment(email="sam@nhs.net", groups=["ncl-icb-staff", "haringey-staff"], ask=ASK)
    assert "Haringey Council and NHS North Central London ICB" in refusal.value.message


def test_a_role_rule_for_one_partner_does_not_apply_to_another(sign_in_rules):
    RoleSignInRule.objects.create(group="finance", role="finance officer", partner=sign_in_rules["icb"])
    assert roles(sign_in("sam@haringey.gov.uk", ["finance"])) == {"viewer"}
    assert roles(sign_in("nia@nhs.net", ["ncl-icb-staff", "finance"])) == {"finance officer"}


def test_each_sign_in_rereads_partner_and_roles_and_keeps_other_groups(sign_in_rules):
    user = sign_in("sam@nhs.net", ["ncl-icb-staff", "s75-commissioners"])
    other = Group.objects.create(name="newsletter")
    user.groups.add(other)
    PartnerSignInRule.objects.filter(value="ncl-icb-staff").update(partner=sign_in_rules["haringey"])  # moved
    user = sign_in("sam@nhs.net", ["ncl-icb-staff", "s75-finance"])
    assert user.profile.partner == sign_in_rules["haringey"]
    assert roles(user) == {"finance officer", "newsletter"}
    assert user.profile.history.first().history_change_reason == "Partner from the sign-in rules at sign-in"
    PartnerSignInRule.objects.filter(value="ncl-icb-staff").delete()  # the organisation is no longer set up
    with pytest.raises(SignInRefused):
        sign_in("sam@nhs.net", ["ncl-icb-staff"])
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize(("typed", "stored"), [(" @Haringey.GOV.uk ", "haringey.gov.uk"), ("nhs.net", "nhs.net")])
def test_domain_rules_are_stored_in_lower_case_without_the_at(typed, stored):
    partner = Partner.objects.create(name="Haringey Council", short_name="LBH", kind="local_authority")
    rule = PartnerSignInRule(match=SignInRuleMatch.EMAIL_DOMAIN, value=typed, partner=partner)
    rule.full_clean()
    assert rule.value == stored


@pytest.mark.parametrize("typed", ["haringey", "sam@haringey.gov.uk", "haringey gov.uk"])
def test_a_domain_rule_that_is_not_a_domain_says_so(typed):
    partner = Partner.objects.create(name="Haringey Council", short_name="LBH", kind="local_authority")
    with pytest.raises(ValidationError) as error:
        PartnerSignInRule(match=SignInRuleMatch.EMAIL_DOMAIN, value=typed, partner=partner).full_clean()
    assert "is not an email domain" in str(error.value.message_dict["value"])
