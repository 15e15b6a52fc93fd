"""Personal API tokens: create (the token shown once), check and revoke.

A token is "s75_" + a 8-character prefix + "_" + 32 random characters. It is random, so a
plain SHA-256 of it is a safe thing to store (no dictionary to guess from) and quick to check on
every request; the comparison is in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerships.models import ApiToken

TOKEN_START = "s75_"
# Writing last_used_at on every request would make every read a write: once a minute is enough.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenRefused(Exception):
    """The token is unknown, revoked or expired: the message says which, without saying whose."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, expires_on: date | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it and the token itself, which is never shown again."""
    name = name.strip()
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": "The expiry date must be today or in the future."})
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(24)}"
    token = ApiToken(user=user, name=name, prefix=prefix, key_hash=_hash(key), expires_on=expires_on)
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_user(key: str):
    """The user a token acts as (with their profile and partner loaded), or TokenRefused."""
    parts = key.split("_", 2)  # the random part may hold "_" too
    if len(parts) != 3 or f"{parts[0]}_" != TOKEN_START:
        raise TokenRefused("This is not an API token: it should start “s75_”.")
    token = (
        ApiToken.objects.select_related("user", "user__profile", "user__profile__partner")
        .filter(prefix=parts[1]).first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)):
        raise TokenRefused("This API token is not valid.")
    if token.revoked_at is not None:
        raise TokenRefused(f"This API token (“{token.name}”) was revoked on {token.revoked_at:%-d %B %Y}.")
    if token.expires_on is not None and token.expires_on < timezone.localdate():
        raise TokenRefused(f"This API token (“{token.name}”) expired on {token.expires_on:%-d %B %Y}.")
    if not token.user.is_active:
        raise TokenRefused("The account this API token belongs to is inactive.")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
