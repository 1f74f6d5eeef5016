"""Spam filters of the contact form, without outside services.

- A honeypot: a field people never see (hidden by CSS, out of the tab order, labelled "leave
  empty" for screen readers) that form-filling robots fill in.
- A signed minimum fill time: the form carries the time it was shown, signed; a post sooner than
  CONTACT_FORM_MIN_SECONDS after it, or with a missing, altered or expired token, is caught.

What they catch is kept as a filtered submission (WebSubmission.Status.FILTERED) a manager can
release; the visitor sees the same thank-you page, so a robot learns nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import WebSubmission

FILL_SALT = "followups.webform.fill"


def fill_token() -> str:
    """The signed time the form was shown."""
    return signing.dumps({"t": timezone.now().timestamp()}, salt=FILL_SALT)


def fill_check(token: str, *, now=None) -> str:
    """ "" when the token is good and old enough, else the WebSubmission.Reason that caught it."""
    try:
        data = signing.loads(token or "", salt=FILL_SALT, max_age=settings.CONTACT_FORM_MAX_AGE_SECONDS)
        shown_at = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return WebSubmission.Reason.BAD_TOKEN
    elapsed = (now or timezone.now()).timestamp() - shown_at
    if elapsed < settings.CONTACT_FORM_MIN_SECONDS:
        return WebSubmission.Reason.TOO_FAST
    return ""


def spam_reason(*, honeypot: str, token: str) -> str:
    if honeypot.strip():
        return WebSubmission.Reason.HONEYPOT
    return fill_check(token)
