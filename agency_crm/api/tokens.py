"""Personal access tokens: made, listed and revoked on /settings/tokens/ (agency_crm.api.tokens_page).

The secret is shown once, when it is made; only knox's SHA-512 digest of it is kept. Everyone
sees and revokes their own tokens; managers see and revoke everyone's (a leaver's, a leaked one).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.roles import is_manager

from .models import PersonalToken
from .scopes import SCOPES


def tokens_visible_to(user):
    """The user's own tokens; a manager's list has everyone's, with their owners (one query)."""
    tokens = PersonalToken.objects.select_related("user").order_by("-created")
    return tokens if is_manager(user) else tokens.filter(user=user)


def token_may_revoke(*, token: PersonalToken, user) -> bool:
    return user.is_active and (token.user_id == user.pk or is_manager(user))


def personal_token_create(
    *, user, name: str, scopes: list[str], expiry: dt.datetime | None = None
) -> tuple[PersonalToken, str]:
    """A new token for `user` and its secret (shown once, never stored)."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope from the list.")})
    if expiry is not None and expiry <= timezone.now():
        raise ValidationError({"expiry": _("Choose a day after today, or no expiry.")})
    ordered = [scope for scope in SCOPES if scope in scopes]
    with transaction.atomic():
        token, secret = PersonalToken.objects.create(user=user, expiry=None, name=name.strip(), scopes=ordered)
        if expiry is not None:
            # knox's manager takes a duration from now; the page asks for a day.
            PersonalToken.objects.filter(pk=token.pk).update(expiry=expiry)
            token.expiry = expiry
    return token, secret


def personal_token_revoke(*, token: PersonalToken, actor) -> None:
    """Delete the token: the next request with its secret gets 401."""
    if not token_may_revoke(token=token, user=actor):
        raise PermissionDenied
    PersonalToken.objects.filter(pk=token.pk).delete()
