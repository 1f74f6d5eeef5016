"""The API's permission check, in front of each view's own (the views' and services' rules).

Every request needs an active person (a deactivated person's token stops at once, and their
session is gone). A token needs the scope of the view's group for the verb: `<group>:read` for
GET, HEAD and OPTIONS, `<group>:write` for the rest. The browsable API, used with the signed-in
session, may do what the person may do on the pages. Which objects a person may change, and
who may change an owner, is the services' and agency_crm.permissions' business, as on the pages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import PersonalToken
from .scopes import needed_scope


def token_scopes(request) -> set[str] | None:
    """The scopes of the request's token; None for the browsable API's session (every scope)."""
    return set(request.auth.scopes) if isinstance(request.auth, PersonalToken) else None


class ActiveStaffWithScope(BasePermission):
    message = gettext_lazy("This token does not have the scope this request needs.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        group = getattr(view, "api_scope", None)
        if group is None:
            return False
        scopes = token_scopes(request)
        if scopes is None:
            return True
        wanted = needed_scope(group, write=request.method not in SAFE_METHODS)
        self.message = _("This token does not have the scope %(scope)s.") % {"scope": wanted}
        return wanted in scopes
