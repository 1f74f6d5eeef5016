"""Spam filters of the contact form, without outside services.

- A honeypot: a field people never see (hidden by CSS, out of the tab order, labelled "leave
  empty" for screen readers) that form-filling robots fill in.
- A signed minimum fill time: the form carries the time it was shown and a random nonce, signed.
  A post sooner than CONTACT_FORM_MIN_SECONDS after it gets the form back ("please check and
  send again", the view's job: a person who was quick loses nothing, a robot learns only to
  wait); a missing, altered or expired token is caught.
- The token is good for one post: its nonce is remembered in the cache (Redis, `add()` is atomic)
  until the token would have expired anyway, so one fetched token cannot carry a flood.

What they catch is kept as a filtered submission (WebSubmission.Status.FILTERED) a manager can
release; the visitor sees the same thank-you page, so a robot learns nothing.

The per-address rate limit counts mailboxes, not spellings (address_for_limit).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from .models import WebSubmission

FILL_SALT = "followups.webform.fill"
USED_KEY = "webform:fill-used:{nonce}"
# Providers that deliver v.i.c@ and vic@ to the same mailbox (and name one domain two ways).
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def fill_token() -> str:
    """The signed time the form was shown, with a nonce that makes the token single-use."""
    return signing.dumps({"t": timezone.now().timestamp(), "n": secrets.token_urlsafe(12)}, salt=FILL_SALT)


def _read(token: str) -> tuple[float, str] | None:
    try:
        data = signing.loads(token or "", salt=FILL_SALT, max_age=settings.CONTACT_FORM_MAX_AGE_SECONDS)
        shown_at, nonce = float(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (shown_at, nonce) if nonce else None


def fill_too_fast(token: str, *, now=None) -> bool:
    """A good token whose form was posted sooner than a person can fill it in."""
    read = _read(token)
    return read is not None and (now or timezone.now()).timestamp() - read[0] < settings.CONTACT_FORM_MIN_SECONDS


def fill_check(token: str, *, now=None) -> str:
    """ "" when the token is good, old enough and not used before (it is used now), else the
    WebSubmission.Reason that caught it."""
    read = _read(token)
    if read is None:
        return WebSubmission.Reason.BAD_TOKEN
    shown_at, nonce = read
    if (now or timezone.now()).timestamp() - shown_at < settings.CONTACT_FORM_MIN_SECONDS:
        return WebSubmission.Reason.TOO_FAST
    if not cache.add(USED_KEY.format(nonce=nonce), 1, timeout=settings.CONTACT_FORM_MAX_AGE_SECONDS + 60):
        return WebSubmission.Reason.REUSED
    return ""


def spam_reason(*, honeypot: str, token: str) -> str:
    if honeypot.strip():
        return WebSubmission.Reason.HONEYPOT
    return fill_check(token)


def address_for_limit(email: str) -> str:
    """The mailbox an address reaches, for counting posts per address: lower case, without a
    +tag, and without dots where the provider ignores them (vic+1@, V.I.C@gmail.com: vic@gmail.com)."""
    local, _at, domain = (email or "").strip().lower().rpartition("@")
    if not local:
        return (email or "").strip().lower()
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"
