"""The signed-in person's language and name order for the whole request.

After LocaleMiddleware and AuthenticationMiddleware: a saved language wins over the browser and the
language cookie, so the UI follows the person from device to device. The two values are copied
into the session at login and on save (`remember_in_session`), so a request costs no query."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from agency_crm.people import activate_name_order, deactivate_name_order

from .services import preferences_for

SESSION_KEY = "gonggam_preferences"


def remember_in_session(session, prefs) -> None:
    session[SESSION_KEY] = {"language": prefs.language, "name_order": prefs.name_order}


@receiver(user_logged_in, dispatch_uid="gonggam_preferences_login")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_in_session(request.session, preferences_for(user))


class PersonalPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = None
        if user is not None and user.is_authenticated:
            stored = request.session.get(SESSION_KEY)
            if stored is None:
                remember_in_session(request.session, preferences_for(user))
                stored = request.session[SESSION_KEY]
            if stored.get("language"):
                translation.activate(stored["language"])
                request.LANGUAGE_CODE = stored["language"]
            token = activate_name_order(stored.get("name_order"))
        try:
            return self.get_response(request)
        finally:
            if token is not None:
                deactivate_name_order(token)
