"""The request-body cap: a request that announces a larger body than REQUEST_MAX_BODY_BYTES is
refused with 413 before anything reads it.

Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, FILE_UPLOAD_MAX_MEMORY_SIZE) act only while
the body is parsed: an upload is streamed to a temporary file first, so a 60 MB file sent to
/clients/import/ used to be read completely before the view refused it. This middleware looks
at Content-Length alone. A body without one (chunked) is not read by Django under WSGI at all;
the reverse proxy enforces the same limit for every request (README, "Deploying to production":
nginx `client_max_body_size`). Test: tests/agency_crm/test_size_limits.py.

A view that takes larger files says so with `@allow_body("SETTING")`: its limit is that setting
(the files it accepts in all) plus FORM_OVERHEAD_BYTES for the rest of the form, so the form's
own per-file and total limits answer with their clear messages instead of a bare 413. The check
runs in process_view, after URL resolution and before any other middleware reads the body (it
stands before CsrfViewMiddleware, whose process_view reads the form).
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .errors import error_page

# The text fields and multipart framing around a view's files.
FORM_OVERHEAD_BYTES = 1024 * 1024


def allow_body(setting: str):
    """Let a view take files of `setting` bytes in all (plus the form around them)."""

    def decorate(view):
        view.body_limit_setting = setting
        return view

    return decorate


def body_limit(view_func) -> int:
    """The largest body a view accepts."""
    setting = getattr(view_func, "body_limit_setting", None)
    limit = settings.REQUEST_MAX_BODY_BYTES
    return max(limit, getattr(settings, setting) + FORM_OVERHEAD_BYTES) if setting else limit


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = body_limit(view_func)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure (WSGIRequest treats it as 0)
        if length > limit:
            return error_page(request, 413, limit=filesizeformat(limit))
        return None
