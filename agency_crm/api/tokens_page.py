"""/settings/tokens/: make a personal access token (name, scopes, optional expiry day), see it
once, see when and from where each was last used, revoke it. Services: agency_crm.api.tokens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agency_crm.forms import form_add_service_errors
from agency_crm.roles import is_manager

from .models import PersonalToken
from .scopes import scope_choices
from .tokens import personal_token_create, personal_token_revoke, token_may_revoke, tokens_visible_to

# The furthest expiry the page offers: a token that outlives its purpose is a risk.
MAX_EXPIRY_DAYS = 366 * 2


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What it is for, e.g. “Website contact form”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=scope_choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Optional: the token stops at the start of this day."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day is not None and not today < day <= today + dt.timedelta(days=MAX_EXPIRY_DAYS):
            raise forms.ValidationError(_("Choose a day after today and within two years, or none."))
        return day

    def expiry(self) -> dt.datetime | None:
        day = self.cleaned_data["expires_on"]
        return None if day is None else timezone.make_aware(dt.datetime.combine(day, dt.time()))


def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = personal_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expiry=form.expiry(),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            # Shown in this response only: it is not kept anywhere to show again.
            created = {"token": token, "secret": secret}
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": tokens_visible_to(request.user),
        "everyone": is_manager(request.user),
        "now": timezone.now(),
    }
    response = render(request, "agency_crm/tokens.html", context)
    if created:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, public_id):
    token = PersonalToken.objects.filter(public_id=public_id).first()
    if token is None or not token_may_revoke(token=token, user=request.user):
        raise Http404
    personal_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")
