"""A versioned document's ETag, and the If-Match check every API write makes against it.

The ETag is the document's edit count, which every save raises (`documents.services.claim_edit`),
so `If-Match` carries what a page's hidden edit count carries: the state the client read.
"""

from __future__ import annotations

import re

from django.db import models
from rest_framework import status
from rest_framework.exceptions import APIException

_TAG = re.compile(r'^(?:W/)?"(?P<tag>[^"]*)"$')


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"


def document_etag(obj: models.Model) -> str:
    return f'"{obj._meta.model_name}-{obj.pk}-{obj.edit_count}"'


def expected_edit_count(request, obj: models.Model) -> int:
    """The edit count the client's If-Match names: 428 without one, 412 if it is not the current one."""
    header = request.headers.get("If-Match", "").strip()
    name = f"{str(obj._meta.verbose_name).capitalize()} {getattr(obj, 'number', obj.pk)}"
    if not header:
        raise PreconditionRequired(
            f"Send {name}'s ETag in an If-Match header (read it with GET first), so a change saved by "
            "someone else since is not overwritten. Nothing was written."
        )
    current = document_etag(obj)
    match = _TAG.match(header)
    if match is None or f'"{match.group("tag")}"' != current:
        raise PreconditionFailed(
            f"{name} has changed since you read it: your If-Match is {header}, its ETag is now {current}. "
            "Nothing was written: read it again, check the changes, then send yours with the new ETag."
        )
    return obj.edit_count
