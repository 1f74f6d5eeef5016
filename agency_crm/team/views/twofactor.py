"""/settings/two-factor/: your own two-factor sign-in (turn on with a QR code, recovery codes,
turn off)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from agency_crm.forms import form_add_service_errors

from .. import twofactor
from ..forms import CodeForm
from .signin import SETUP_KEY


def _codes_page(request, codes):
    return render(request, "agency_crm/team/recovery_codes.html", {"codes": codes})


@never_cache
def overview(request):
    user = request.user
    context = {
        "enabled": twofactor.has_two_factor(user),
        "codes_left": twofactor.recovery_codes_left(user),
        "required": twofactor.two_factor_required(),
        "must_set_up": bool(request.session.get(SETUP_KEY)),
    }
    return render(request, "agency_crm/team/twofactor.html", context)


@require_POST
def start(request):
    twofactor.twofactor_start(user=request.user)
    return redirect("team:twofactor_setup")


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def setup(request):
    device = twofactor.pending_device(request.user)
    if device is None:
        return redirect("team:twofactor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.twofactor_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            request.session.pop(SETUP_KEY, None)
            messages.success(request, _("Two-factor sign-in is on. Keep these recovery codes somewhere safe."))
            return _codes_page(request, codes)
    context = {
        "form": form,
        # SVG made by segno from the device's key: modules only, no text from anyone.
        "qr": mark_safe(twofactor.qr_svg(device)),  # noqa: S308
        "key": twofactor.base32_key(device),
    }
    return render(request, "agency_crm/team/twofactor_setup.html", context, status=400 if form.errors else 200)


@never_cache
@require_POST
def recovery_codes(request):
    try:
        codes = twofactor.recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("team:twofactor")
    return _codes_page(request, codes)


@require_POST
def turn_off(request):
    try:
        twofactor.twofactor_turn_off(user=request.user, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("team:twofactor")
