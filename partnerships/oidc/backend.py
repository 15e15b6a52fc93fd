"""The authentication backend: mozilla-django-oidc's, checking more of the ID token and applying our rules.

mozilla-django-oidc checks the signature, the expiry and the nonce but not the audience or the
issuer; `_verify_jws` adds them. Claims come from the verified ID token (where Entra ID puts
groups), completed by the userinfo response when there is one. Every refusal is logged with its
reason only (never a token or an address) and leaves `request.oidc_refusal` for the page.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from partnerships import oidc
from partnerships.sign_in import SignInRefused, sign_in_assignment, staff_member_sign_in

logger = logging.getLogger("partnerships.oidc")


def try_again_message() -> str:
    return f"We could not complete your sign-in. Try again; if it keeps happening, tell {oidc.whom_to_ask()}."


def email_is_verified(claims: dict) -> bool:
    """`email_verified`, or for Entra ID (which never sends it) `xms_edov`: the tenant owns the email's domain."""
    if "email_verified" in claims:
        return claims["email_verified"] is True
    return claims.get("xms_edov") is True


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if request is None or not oidc.is_configured():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SignInRefused as refusal:
            self.refuse(request, refusal)
        except (SuspiciousOperation, requests.RequestException) as error:
            # Bad signature, wrong audience or issuer, expired, replayed nonce, provider errors.
            self.refuse(request, SignInRefused(try_again_message(), reason=f"{type(error).__name__}: {error}"))

    def refuse(self, request, refusal: SignInRefused):
        logger.warning("Sign-in with an organisation account refused: %s", refusal.reason)
        request.oidc_refusal = refusal
        raise PermissionDenied(refusal.reason)  # stop here: no other backend tries this request

    def _verify_jws(self, payload, key):
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {alg!r}, not {self.OIDC_RP_SIGN_ALGO!r}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {type(error).__name__}: {error}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token refused: several audiences and we are not the authorised party")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo response is about someone else (sub differs)")
            claims = {**userinfo, **claims}
        return claims

    def verify_claims(self, claims) -> bool:
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            raise SignInRefused(
                f"Your organisation’s account did not tell us your email address. Ask {oidc.whom_to_ask()} to check the sign-in set-up.",
                reason="no email claim",
            )
        try:
            validate_email(email)
        except ValidationError:
            raise SignInRefused(try_again_message(), reason="email claim is not an email address") from None
        if settings.OIDC_REQUIRE_EMAIL_VERIFIED and not email_is_verified(claims):
            raise SignInRefused(
                f"Your organisation’s account says your email address is not verified. Ask {oidc.whom_to_ask()}.",
                reason="email_verified (or Entra ID's xms_edov) is not true",
            )
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        self.assignment = sign_in_assignment(email=email, groups=[str(group) for group in groups], ask=oidc.whom_to_ask())
        return True

    def create_user(self, claims):
        return self.sign_in(None, claims)

    def update_user(self, user, claims):
        return self.sign_in(user, claims)

    def sign_in(self, user, claims):
        try:
            return staff_member_sign_in(
                user=user,
                email=claims["email"],
                given_name=str(claims.get("given_name") or ""),
                family_name=str(claims.get("family_name") or ""),
                assignment=self.assignment,
            )
        except ValidationError as error:
            fields = ", ".join(sorted(error.message_dict))
            raise SignInRefused(
                f"Your account details could not be saved ({fields}). Tell {oidc.whom_to_ask()}.",
                reason=f"invalid user fields: {fields}",
            ) from None

    def get_user(self, user_id):
        # Django's own check (an inactive user is signed out), which mozilla-django-oidc's skips.
        return ModelBackend.get_user(self, user_id)
