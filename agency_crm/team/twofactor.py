"""Two-factor sign-in: an authenticator app (django-otp's TOTP device) with recovery codes
(django-otp's static device, each code works once), and the agency's switch that requires it.

A person has two-factor sign-in when they have a confirmed TOTP device. Setting it up is two
steps: `twofactor_start` makes an unconfirmed device (its key is shown as a QR code), and
`twofactor_confirm` checks a code the app computed from it, confirms the device and makes the
recovery codes."""

from __future__ import annotations

import re

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agency_crm import facts

from .audit import team_record
from .models import SignInPolicy

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
_SPACES = re.compile(r"[\s-]+")


def policy() -> SignInPolicy:
    return SignInPolicy.objects.filter(pk=1).first() or SignInPolicy(pk=1)


def two_factor_required() -> bool:
    return policy().two_factor_required


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning QR code as inline SVG markup (made here, no outside service): it holds
    the key and the account name as modules, never as text."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True, title=None)


def base32_key(device: TOTPDevice) -> str:
    """The key as the app asks for it when typed in, in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def twofactor_start(*, user) -> TOTPDevice:
    """A new unconfirmed authenticator for `user` (any earlier unconfirmed one is dropped)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def twofactor_confirm(*, user, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from the app; returns the recovery codes
    (shown once). ValidationError on the `code` field when it does not match."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise ValidationError({"code": _("Start the set-up again: no authenticator is waiting to be confirmed.")})
        if not device.verify_token(_SPACES.sub("", code or "")):
            raise ValidationError({"code": _("That code does not match. Check the time on your phone and try again.")})
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        team_record(
            kind="twofactor.enabled",
            message=gettext_noop("%(name)s turned on two-factor sign-in"),
            params={"name": facts.person(user)},
            actor=user,
            person=user,
        )
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not has_two_factor(user):
        raise ValidationError(_("Turn on two-factor sign-in first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        team_record(
            kind="twofactor.recovery_codes",
            message=gettext_noop("%(name)s made new recovery codes"),
            params={"name": facts.person(user)},
            actor=user,
            person=user,
        )
    return codes


def twofactor_turn_off(*, user, actor) -> None:
    """Remove the authenticator and the recovery codes of `user` (by themselves, or by a manager
    for a colleague who lost their phone). Refused to the person themselves while the agency
    requires two-factor sign-in."""
    if actor.pk == user.pk and two_factor_required():
        raise ValidationError(_("The agency requires two-factor sign-in for everyone, so it cannot be turned off."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        team_record(
            kind="twofactor.disabled",
            message=gettext_noop("%(actor)s turned off two-factor sign-in for %(name)s"),
            params={"actor": facts.person(actor), "name": facts.person(user)},
            actor=actor,
            person=user,
        )


def twofactor_policy_set(*, required: bool, actor) -> SignInPolicy:
    """Require (or stop requiring) two-factor sign-in for everyone. A manager without it
    themselves cannot require it (they would be sent to set it up at once)."""
    with transaction.atomic():
        current = SignInPolicy.objects.select_for_update().filter(pk=1).first() or SignInPolicy(pk=1)
        if current.two_factor_required == required:
            return current
        if required and not has_two_factor(actor):
            raise ValidationError(_("Turn on two-factor sign-in for yourself first, then require it for everyone."))
        current.two_factor_required = required
        current.save()
        team_record(
            kind="twofactor.policy",
            message=(
                gettext_noop("%(actor)s required two-factor sign-in for everyone")
                if required
                else gettext_noop("%(actor)s stopped requiring two-factor sign-in")
            ),
            params={"actor": facts.person(actor)},
            actor=actor,
        )
    return current


def twofactor_verify(*, user, code: str):
    """The device that accepts `code` (a six-digit code from the app, or a recovery code, which
    is then used up), or None. Each device throttles itself after failures (django-otp)."""
    code = _SPACES.sub("", code or "").lower()
    if not code:
        return None
    if code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(code):
                return device
    return None
