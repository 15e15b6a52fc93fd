"""The database went away mid-request (a restart, a failover, a dropped connection): a clear
"try again" page with 503, never a stack trace.

Every save runs in one transaction, so a connection lost part-way leaves nothing half-written:
PostgreSQL rolls the transaction back when the connection ends. Django closes the broken
connection when the request finishes, and the next request opens a fresh one (CONN_HEALTH_CHECKS),
so trying again works as soon as the database is back.

The page is rendered without the request's context (no signed-in user, no messages), since those
would need the database that has just gone.
"""

from __future__ import annotations

import structlog
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = "The service lost its connection to the database. Nothing you sent was saved: try again in a minute."


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("database_unavailable", error=type(exception).__name__, method=request.method)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": MESSAGE}, status=503, headers=headers)
        return HttpResponse(render_to_string("503.html", {"message": MESSAGE, "method": request.method}),
                            status=503, headers=headers)
