"""Reads of the team pages, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from agency_crm.preferences.models import OPTIONAL_INSTANT_KINDS, Preferences
from agency_crm.roles import MANAGER_GROUP

from .models import Invitation, Role, TeamEvent


@dataclass
class Member:
    person: object
    role: str
    prefs: Preferences
    two_factor: bool
    instant: list

    @property
    def role_label(self):
        return Role(self.role).label


def team_members() -> list[Member]:
    """Active colleagues with their role, settings and whether they sign in with two factors."""
    User = get_user_model()
    manager_perm = Q(
        groups__permissions__codename="view_dashboard", groups__permissions__content_type__app_label="agency_crm"
    )
    people = list(
        User.objects.filter(is_active=True)
        .annotate(
            in_manager_group=Exists(
                User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=MANAGER_GROUP)
            ),
            has_manager_perm=Exists(User.objects.filter(pk=OuterRef("pk")).filter(manager_perm)),
            has_two_factor=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
        )
        .order_by("last_name", "first_name", "username")
    )
    saved = {p.user_id: p for p in Preferences.objects.filter(user__in=[p.pk for p in people])}
    labels = dict(OPTIONAL_INSTANT_KINDS)
    members = []
    for person in people:
        prefs = saved.get(person.pk) or Preferences(user=person)
        manager = person.is_superuser or person.in_manager_group or person.has_manager_perm
        members.append(
            Member(
                person=person,
                role=Role.MANAGER if manager else Role.STAFF,
                prefs=prefs,
                two_factor=person.has_two_factor,
                instant=[labels[k] for k in prefs.instant_kinds or [] if k in labels],
            )
        )
    return members


def open_invitations() -> list[Invitation]:
    return list(
        Invitation.objects.filter(accepted_at=None, cancelled_at=None).select_related("invited_by").order_by("-sent_at")
    )


def team_events(*, page: str | int | None = 1, person_id: int | None = None, per_page: int = 50):
    events = TeamEvent.objects.order_by("-occurred_at", "-id")
    if person_id is not None:
        events = events.filter(person_id=person_id)
    return Paginator(events, per_page).get_page(page)
