"""A colleague's role and deactivation. The agency always keeps one active manager: the last one
can neither be made Staff nor deactivated."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.people import display_name
from agency_crm.roles import MANAGER_GROUP, STAFF_GROUP, active_managers, ensure_role_groups, is_manager
from clients import offboarding

from .audit import team_record
from .models import Role

LAST_MANAGER = "last_manager"
OWNS_WORK = "owns_work"


def role_of(user) -> str:
    return Role.MANAGER if is_manager(user) else Role.STAFF


def role_assign(*, user, role: str) -> None:
    """Put `user` in exactly one role group; managers also reach the admin's schedules."""
    ensure_role_groups()
    groups = {g.name: g for g in Group.objects.filter(name__in=[MANAGER_GROUP, STAFF_GROUP])}
    user.groups.remove(*groups.values())
    user.groups.add(groups[MANAGER_GROUP if role == Role.MANAGER else STAFF_GROUP])
    user.is_staff = role == Role.MANAGER or user.is_superuser
    user.save(update_fields=["is_staff"])
    # has_perm caches the permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def _lock(person):
    """Lock the person and every active manager (in id order), so that two managers demoting or
    deactivating each other at once cannot leave the agency without one."""
    User = get_user_model()
    ids = sorted({person.pk, *(m.pk for m in active_managers())})
    locked = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return locked[person.pk]


def _refuse_last_manager(person, doing: str) -> None:
    others = [m for m in active_managers() if m.pk != person.pk]
    if is_manager(person) and not others:
        if doing == "role":
            message = _("%(name)s is the agency's last active manager: make someone else a manager first.")
        else:
            message = _(
                "%(name)s is the agency's last active manager and cannot be deactivated: make someone else a "
                "manager first."
            )
        raise ValidationError(message % {"name": display_name(person)}, code=LAST_MANAGER)


def member_set_role(*, person, role: str, actor) -> bool:
    """Make `person` Staff or Manager; False when that is already their role."""
    if role not in Role.values:
        raise ValidationError(_("Choose Staff or Manager."))
    with transaction.atomic():
        person = _lock(person)
        old = role_of(person)
        if old == role:
            return False
        if role == Role.STAFF:
            _refuse_last_manager(person, "role")
        role_assign(user=person, role=role)
        team_record(
            kind="role.changed",
            message=gettext_noop("%(actor)s changed the role of %(name)s from %(old)s to %(new)s"),
            params={
                "actor": facts.person(actor),
                "name": facts.person(person),
                "old": facts.term(Role(old).label),
                "new": facts.term(Role(role).label),
            },
            actor=actor,
            person=person,
        )
    return True


def member_deactivate(*, person, actor) -> None:
    """Deactivate an account that owns no work (the offboarding page hands work over first); the
    person can no longer log in, and their open sessions stop working."""
    with transaction.atomic():
        person = _lock(person)
        if not person.is_active:
            return
        _refuse_last_manager(person, "deactivate")
        if offboarding.owned_count(person):
            raise ValidationError(
                _("%(name)s still owns work: hand it over to a colleague first.") % {"name": display_name(person)},
                code=OWNS_WORK,
            )
        person.is_active = False
        person.save(update_fields=["is_active"])
        member_record_deactivation(person=person, actor=actor)


def member_check_deactivation(*, person) -> None:
    """Refuse to deactivate the agency's last active manager (clients.offboarding asks)."""
    _refuse_last_manager(_lock(person), "deactivate")


def member_record_deactivation(*, person, actor, handed_to=None) -> None:
    """The audit event of a deactivation (also written by the offboarding hand-over)."""
    if handed_to is None:
        team_record(
            kind="person.deactivated",
            message=gettext_noop("%(actor)s deactivated %(name)s"),
            params={"actor": facts.person(actor), "name": facts.person(person)},
            actor=actor,
            person=person,
        )
    else:
        team_record(
            kind="person.deactivated",
            message=gettext_noop("%(actor)s handed the work of %(name)s to %(to)s and deactivated the account"),
            params={"actor": facts.person(actor), "name": facts.person(person), "to": facts.person(handed_to)},
            actor=actor,
            person=person,
        )


def member_can_be_deactivated(person) -> str:
    """ "" when `person` may be deactivated now, else LAST_MANAGER or OWNS_WORK (for the page)."""
    if is_manager(person) and not [m for m in active_managers() if m.pk != person.pk]:
        return LAST_MANAGER
    return OWNS_WORK if offboarding.owned_count(person) else ""
