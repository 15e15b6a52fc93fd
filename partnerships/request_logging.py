"""What a request's log lines say about it: its partner, and a path with no secret in it."""

from __future__ import annotations

import re

import structlog
from django.dispatch import receiver
from django_structlog import signals

from partnerships.access import user_profile

# A path segment as long and random as a token (calendar feed secrets are 32+ url-safe chars).
SECRET_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_\-]{24,}(?=[/.]|$)")


def safe_request_line(request) -> str:
    """Method and path only: the query string may hold an OIDC code or state, a segment a token."""
    return f"{request.method} {SECRET_SEGMENT.sub('[redacted]', request.path)}"


@receiver(signals.bind_extra_request_metadata)
def bind_partner(request, logger, log_kwargs, **kwargs):
    log_kwargs["request"] = safe_request_line(request)
    profile = user_profile(getattr(request, "user", None))  # with its partner, which the view will want
    if profile is not None:
        structlog.contextvars.bind_contextvars(partner_id=profile.partner_id)


@receiver(signals.bind_extra_request_finished_metadata)
@receiver(signals.bind_extra_request_failed_metadata)
def keep_request_safe(request, logger, log_kwargs, **kwargs):
    log_kwargs["request"] = safe_request_line(request)
