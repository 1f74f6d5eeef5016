"""The request-body cap: a request that announces a larger body than REQUEST_MAX_BODY_BYTES is
refused with 413 before anything reads it.

Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, FILE_UPLOAD_MAX_MEMORY_SIZE) act only while
the body is parsed: an upload is streamed to a temporary file first, so a 60 MB file sent to
/clients/import/ used to be read completely before the view refused it. This middleware looks
at Content-Length alone. A body without one (chunked) is not read by Django under WSGI at all;
the reverse proxy enforces the same limit for every request (README, "Deploying to production":
nginx `client_max_body_size`). Test: tests/agency_crm/test_size_limits.py.
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .errors import error_page


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure (WSGIRequest treats it as 0)
        if length > limit:
            return error_page(request, 413, limit=filesizeformat(limit))
        return self.get_response(request)
