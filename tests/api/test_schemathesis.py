"""The API tested against its own OpenAPI schema by schemathesis (issue 18, item 5).

The schema is the live one, fetched from /api/v1/schema/ with a token, and every operation in it
is called with data generated from it (a bounded number of examples each), in-process through
Django's WSGI application and the test database, with the demo data behind it. Each response
must not be a server error and must match the schema: status documented or not, its body's shape
and its content type.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.api.conftest import HARINGEY  # noqa: F401  (the demo's agreement, which the examples reach)

MAX_EXAMPLES = 8


@pytest.fixture
def token(api_for) -> str:
    return api_for("haringey-commissioner")._credentials["HTTP_AUTHORIZATION"]


@pytest.fixture
def api_schema(token):
    # As Django's test client does: a request through the WSGI handler must not close the
    # connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/schema/?format=json", get_wsgi_application(), headers={"Authorization": token}
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(api_schema, token):
    """Every operation, MAX_EXAMPLES generated requests each; all failures listed at the end.

    (Operations are walked here rather than with `schema.parametrize()`: schemathesis' lazy
    fixture loader does not run under the installed pytest.)
    """
    failures = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(
                headers={"Authorization": token},
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            )

        try:
            check()
        except Exception as failure:  # noqa: BLE001  (every operation is tried; all failures are reported)
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
    assert operations > 25
    assert not failures, "\n\n".join(failures)
