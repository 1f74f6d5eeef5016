"""Pages for customers without a login (feedback, unsubscribe, the contact form, the
self-service page): in the given language, never cached, and with signed links kept out of the
Referer header of other sites."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from .agency.selectors import agency_name


def public_language(request, preferred: str = "") -> str:
    """`preferred` when it is one of ours, else the language the request runs in (the signed-in
    person's setting, else the language cookie or the browser's, as the middleware chose)."""
    languages = dict(settings.LANGUAGES)
    if preferred in languages:
        return preferred
    language = translation.get_language() or translation.get_language_from_request(request)
    return language if language in languages else settings.LANGUAGE_CODE


def render_public(request, template: str, context: dict, language: str = "", status: int = 200):
    language = public_language(request, language)
    with translation.override(language):
        response = render(
            request,
            template,
            # The stored name (/settings/agency/), else AGENCY_NAME.
            {**context, "page_language": language, "agency_name": agency_name()},
            status=status,
        )
    response["Content-Language"] = language
    # Signed links must not leak through the Referer header or be cached by a proxy.
    # (same-origin, not no-referrer: with no-referrer browsers send "Origin: null" and the CSRF
    # check refuses the customer's own POST.)
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response
