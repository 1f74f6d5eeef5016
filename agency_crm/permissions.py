"""Who may change who owns a piece of work: the one rule for clients (account owner and backup
owner), inquiries, conversations and check-ins.

Managers reassign anything; an owner may hand their own item to a colleague; nobody else may
change who owns it. Every view, form and service that can change an owner asks
`may_change_owner` (through this module, so a test can watch it being asked). Forms disable the
fields a user may not change (`agency_crm.forms.OwnerFieldsMixin`), and a forged POST that
changes one anyway is refused with 403 (`PermissionDenied`), never silently ignored.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

# Held by the Manager role (agency_crm.roles.MANAGER_PERMISSIONS).
REASSIGN_PERMISSION = "agency_crm.reassign_work"


def _pk(user_or_id) -> int | None:
    return getattr(user_or_id, "pk", user_or_id)


def may_change_owner(user, current_owner) -> bool:
    """May `user` change who owns an item now owned by `current_owner` (a user, a user id, or
    None for nobody)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm(REASSIGN_PERMISSION):
        return True
    owner_id = _pk(current_owner)
    return owner_id is not None and owner_id == user.pk


def may_change_any(user, current_owners) -> bool:
    """True when `user` may change an owner on behalf of any of `current_owners`: a client's
    backup owner is chosen by its account owner, or handed on by the backup owner. With no
    current owners at all, only managers may."""
    return any(may_change_owner(user, owner) for owner in list(current_owners) or [None])


def require_owner_change(user, *current_owners) -> None:
    """Raise PermissionDenied (a 403 in a view) unless `user` may change the owner of an item owned
    by (any of) `current_owners`."""
    if not may_change_any(user, current_owners):
        raise PermissionDenied
