"""/settings/: your own settings (everyone's, for managers, are on the team page, agency_crm.team)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from .forms import PreferencesForm
from .middleware import remember_in_session
from .models import Preferences
from .services import preferences_for, preferences_save


def settings_edit(request):
    prefs = preferences_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=prefs)
        if form.is_valid():
            saved = preferences_save(user=request.user, changes=form.cleaned_data)
            remember_in_session(request.session, saved)
            if saved.language:
                translation.activate(saved.language)
            messages.success(request, _("Your settings are saved."))
            return redirect("preferences:edit")
    else:
        form = PreferencesForm(instance=prefs)
    return render(request, "agency_crm/preferences_form.html", {"form": form})


@login_not_required
def set_language(request):
    """Django's set_language (a GET only redirects back); a signed-in person's choice is also
    saved as their setting."""
    response = django_set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language in dict(Preferences._meta.get_field("language").choices):
        saved = preferences_save(user=request.user, changes={"language": language})
        remember_in_session(request.session, saved)
    return response
