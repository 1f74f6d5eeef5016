"""Sends a person who must set up two-factor sign-in (the agency requires it and they had no
authenticator when they logged in) to its page, whatever they open, until it is done. The login
put the flag in the session (agency_crm.team.signin), so this costs no query."""

from django.shortcuts import redirect

from .views.signin import SETUP_KEY

# What such a person may still open: the set-up itself, logging out, the language switch.
ALLOWED = {
    "team:twofactor",
    "team:twofactor_start",
    "team:twofactor_setup",
    "logout",
    "set_language",
}


class TwoFactorSetupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is None or not session.get(SETUP_KEY):
            return None
        if not request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None  # public pages (customer links, the login page) are not ours to guard
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED:
            return None
        return redirect("team:twofactor")
