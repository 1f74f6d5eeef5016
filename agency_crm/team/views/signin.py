"""Signing in: the password, then (for a person with an authenticator) a code.

The password step is Django's LoginView, so django-axes still counts and locks out wrong
passwords. A person with an authenticator is not logged in by it: the session remembers who
passed the password (for PENDING_SECONDS) and the code page finishes the login. A wrong code is
reported to django-axes as a failed login of that username (so AXES_FAILURE_LIMIT wrong codes
lock the username and address out, like wrong passwords), each device throttles itself
(django-otp), and an account may try TWO_FACTOR_CODE_RATE codes across all addresses."""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_ratelimit.core import is_ratelimited

from .. import twofactor
from ..forms import SignInCodeForm

PENDING_KEY = "gonggam_2fa_pending"
SETUP_KEY = "gonggam_2fa_setup_required"
PENDING_SECONDS = 300


def signin_complete(request, user, *, backend: str, device=None) -> None:
    """Log `user` in; remember the device that verified them, or that they must set one up."""
    login(request, user, backend=backend)
    if device is not None:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    elif twofactor.two_factor_required() and not twofactor.has_two_factor(user):
        request.session[SETUP_KEY] = True


class PasswordLoginView(LoginView):
    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_two_factor(user):
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("team:login_code")
        signin_complete(self.request, user, backend=user.backend)
        return redirect(self.get_success_url())


def _pending(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return (pending, user) if user is not None else (None, None)


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    pending, user = _pending(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Log in with your username and password first."))
        return redirect("login")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST":
        key = str(user.pk)
        rate = settings.TWO_FACTOR_CODE_RATE
        if is_ratelimited(request, group="team.signin.code", key=lambda g, r: key, rate=rate, increment=True):
            return HttpResponse(status=429)
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            # Locked out by wrong codes (or passwords) meanwhile: not even the right code logs in.
            return get_lockout_response(request, credentials=credentials)
        if form.is_valid():
            device = twofactor.twofactor_verify(user=user, code=form.cleaned_data["code"])
            if device is not None:
                del request.session[PENDING_KEY]
                signin_complete(request, user, backend=pending["backend"], device=device)
                target = pending.get("next") or settings.LOGIN_REDIRECT_URL
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = settings.LOGIN_REDIRECT_URL
                return redirect(target)
            # django-axes counts this as a failed login of the username (and may lock it out:
            # its middleware then answers with the lockout page).
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
            form.add_error("code", _("That code is not right. Try the newest code in your app, or a recovery code."))
    return render(request, "agency_crm/team/login_code.html", {"form": form, "person": user})
