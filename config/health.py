"""Liveness and readiness answers for load balancers, before anything else in the stack.

`/healthz`: the process is up and answering. `/readyz`: it can serve users, that is the database
answers and, when `REDIS_URL` is set, Redis does too. Both say only "ok" or what is unreachable:
no data, no sign-in, no session, no host check (a load balancer asks by the node's address,
which is not one of ALLOWED_HOSTS), so this middleware comes first.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

PATHS = {"/healthz", "/healthz/", "/readyz", "/readyz/"}


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(f"{text}\n", content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


def unreachable() -> list[str]:
    """The names of the services this node needs and cannot reach now (empty: ready)."""
    missing = []
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error means "not ready", whatever its class
        logger.warning("readyz: database unreachable: %s", type(error).__name__)
        missing.append("database")
    redis_url = getattr(settings, "REDIS_URL", "")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
        except redis.RedisError as error:
            logger.warning("readyz: redis unreachable: %s", type(error).__name__)
            missing.append("redis")
    return missing


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _plain("method not allowed", 405)
        if request.path.startswith("/healthz"):
            return _plain("ok")
        missing = unreachable()
        if missing:
            return _plain("unavailable: " + ", ".join(missing), 503)
        return _plain("ok")
