"""JSON bodies for the API, refused above a size limit before they are read.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (checked only when
`request.body` is read) never applies to API bodies: the limit is checked here instead.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.API_MAX_BODY_BYTES
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if length > limit:
            raise BodyTooLarge(f"The request body is {length:,} bytes; the most the API accepts is {limit:,} bytes. "
                               "Nothing was written.")
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            raise ParseError(f"The body is not valid JSON ({error.detail}). Nothing was written.") from None
