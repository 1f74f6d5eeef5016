"""Who is calling the API: a personal access token, or (in the browsable API only) the session.

`PersonalTokenAuthentication` is knox's, with three changes the tokens page needs: an expired
token is refused but kept (its maker sees it marked expired instead of it vanishing), a
deactivated person's token is refused on every request (the user row is read with the token, so
deactivation needs no clean-up), and the last use (time and address) is written at most once a
minute per token and address. `BrowsableSessionAuthentication` lets the signed-in person use the
browsable API pages (?format=api or a browser's Accept: text/html) and nothing else: a script
riding a session cookie gets 401. `PerTokenThrottle` counts requests per token (per person in the
browsable API) in the cache and answers 429 with Retry-After.
"""

from __future__ import annotations

import binascii
import datetime as dt
import ipaddress
from hmac import compare_digest

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.throttling import SimpleRateThrottle

from .models import PersonalToken

# A token used again within this long from the same address is not written again.
LAST_USE_PRECISION = dt.timedelta(minutes=1)


def client_address(request) -> str | None:
    """The caller's address: the proxy's header when one is configured (RATELIMIT_IP_META_KEY,
    shared with the public forms' limits), else REMOTE_ADDR; None when it is not an address."""
    value = request.META.get(settings.RATELIMIT_IP_META_KEY, "") or ""
    value = value.split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class PersonalTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        invalid = _("Invalid token.")
        try:
            text = token.decode("ascii")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(invalid) from None
        candidates = PersonalToken.objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for personal_token in candidates:
            if not compare_digest(digest, personal_token.digest):
                continue
            if personal_token.expired:
                raise exceptions.AuthenticationFailed(_("This token has expired."))
            if not personal_token.user.is_active:
                raise exceptions.AuthenticationFailed(_("This token's owner is deactivated."))
            return personal_token.user, personal_token
        raise exceptions.AuthenticationFailed(invalid)

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _note_use(result[1], client_address(request))
        return result


def _note_use(personal_token: PersonalToken, address: str | None) -> None:
    now = timezone.now()
    last = personal_token.last_used_at
    if last is not None and now - last < LAST_USE_PRECISION and personal_token.last_used_ip == address:
        return
    PersonalToken.objects.filter(pk=personal_token.pk).update(last_used_at=now, last_used_ip=address)
    personal_token.last_used_at, personal_token.last_used_ip = now, address


class BrowsableSessionAuthentication(SessionAuthentication):
    """The session, for the browsable API's HTML pages only (with DRF's CSRF check)."""

    def authenticate(self, request):
        if not isinstance(getattr(request, "accepted_renderer", None), BrowsableAPIRenderer):
            return None
        return super().authenticate(request)


class PerTokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        # Read on every request, so a changed API_RATE_PER_TOKEN (a test's) takes effect.
        return settings.API_RATE_PER_TOKEN

    def __init__(self):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, PersonalToken):
            ident = f"t{request.auth.public_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None  # refused by the permission check anyway
        return f"api-throttle:{ident}"
