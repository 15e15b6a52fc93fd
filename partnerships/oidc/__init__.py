"""Sign in with the organisation's account (OpenID Connect, through mozilla-django-oidc).

Configured from the environment (config/settings.py, docs/security.md); with no `OIDC_*`
variables the sign-in page has no button and these views answer 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url

REQUIRED_SETTINGS = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_ISSUER",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def is_configured() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED_SETTINGS)


def whom_to_ask() -> str:
    return settings.OIDC_SUPPORT_CONTACT or "your organisation’s administrator for this service"


def provider_sign_out_url(request) -> str | None:
    """Where to send someone after signing out here, to end their session at the provider too."""
    id_token = request.session.get("oidc_id_token")
    if not (is_configured() and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
