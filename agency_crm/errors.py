"""Error pages in the app's layout and the reader's language: what went wrong and a way back.

Django calls the handlers below (agency_crm.urls) for 400, 403, 404 and 500; `ErrorPageMiddleware`
gives the same page to the bare 405 and 429 responses that decorators and throttles return. The
500 page uses a layout without the navigation's database reads, so it renders even when the
database is what failed. The same middleware is the safety net behind agency_crm.params: a
value the database refuses (out of range, malformed) gets the 400 page, never a 500, and is
logged as an error so the missing validation gets fixed. RequestBodyLimitMiddleware
(agency_crm.limits) answers 413 with the same page. On a public page (the contact form, the
self-service page) the way back is that page, never the staff login. Under /api/ every one of
these is JSON in the API's error shape instead (agency_crm.api.errors), never an HTML page.
"""

from __future__ import annotations

import logging

from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

BARE_STATUSES = (405, 429)


def _reasons() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Check the address, or go back and try again.")),
        403: (
            _("Not allowed"),
            _(
                "This page is not open to you: some pages are only for managers, and some actions "
                "only for the owner of the work. Ask a manager if you need it."
            ),
        ),
        404: (_("Page not found"), _("There is nothing at this address. It may have moved, or the link is cut short.")),
        405: (
            _("Not allowed here"),
            _("This address does not accept that kind of request. Use the buttons on the page."),
        ),
        413: (
            _("Too large"),
            _("What you sent is larger than this site accepts (%(limit)s at most). Send a smaller file."),
        ),
        429: (_("Too many requests"), _("Please wait a minute before trying again.")),
        500: (
            _("Something went wrong"),
            _("We could not finish this. It has been logged; please try again in a while."),
        ),
    }


def _context(status: int, **values) -> dict:
    title, reason = _reasons()[status]
    return {"status": status, "title": title, "reason": reason % values if values else reason}


def _public_view(request):
    """The view of a public page (marked login_not_required: the contact form, the self-service
    page) a visitor is on, else None. Its error pages link back to the page itself, not to the
    staff login."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    return None if getattr(view, "login_required", True) else view


# The API's error codes for the statuses Django answers itself (agency_crm.api.errors).
API_CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    429: "throttled",
    500: "error",
}


def is_api_request(request) -> bool:
    return request.path_info.startswith("/api/")


def api_error(status: int, **values) -> JsonResponse:
    """The API's error shape, `{type, errors: [{code, detail, attr}]}`, for a status Django (not
    the API's views) answers: an unknown address, a body too large, a server error."""
    _title, reason = _reasons()[status]
    detail = reason % values if values else reason
    kind = "server_error" if status >= 500 else "client_error"
    body = {"type": kind, "errors": [{"code": API_CODES[status], "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)


def error_page(request, status: int, **values):
    if is_api_request(request):
        return api_error(status, **values)
    view = _public_view(request)
    context = {**_context(status, **values), "back_url": request.get_full_path() if view is not None else ""}
    response = render(request, "errors/page.html", context, status=status)
    # A page shown inside another site's iframe (the embedded contact form) says how its error
    # page may be framed (`error_page_framing(response) -> response`), or the visitor sees nothing.
    framing = getattr(view, "error_page_framing", None)
    return framing(response) if framing is not None else response


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    # No RequestContext: context processors and the navigation may need the database.
    from django.http import HttpResponseServerError

    if is_api_request(request):
        return api_error(500)
    return HttpResponseServerError(render_to_string("errors/500.html", _context(500)))


class ErrorPageMiddleware:
    """Give bare 405 and 429 responses (no body of their own) the error page; headers such as
    Allow and Retry-After are kept. A DataError from a view becomes the 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request, exception):
        """A value the database refused (a number out of range, a malformed date...) is bad input
        a view failed to validate: answer 400, and log it with its traceback so the validation
        gets added (tests/agency_crm/test_odd_input.py fails on this log)."""
        if not isinstance(exception, DataError):
            return None
        logger.error("A database error from unvalidated input on %s", request.path, exc_info=exception)
        return error_page(request, 400)

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in BARE_STATUSES and not response.streaming and not response.content:
            page = error_page(request, response.status_code)
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    page[header] = value
            return page
        return response


logger = logging.getLogger(__name__)


class PlainForbiddenLog(logging.Filter):
    """An ordinary 403 (a staff member opening a manager's page) is a one-line warning, not a
    traceback: drop the exception that django.request attaches to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
