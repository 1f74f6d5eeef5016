"""The team's audit list: every invitation, role change, deactivation and sign-in change.

`message` is an untranslated English msgid (gettext_noop where it is written) and `params` its
data (agency_crm.facts), so each reader sees the event in their own language. The project has no
timeline per colleague: this list is where a person's history is read (filtered by person)."""

from __future__ import annotations

from typing import Any

from .models import TeamEvent


def team_record(
    *, kind: str, message: str, params: dict[str, Any] | None = None, actor=None, person=None, invitation=None
) -> TeamEvent:
    """Append an event; call it inside the transaction of the change."""
    return TeamEvent.objects.create(
        kind=kind,
        message=str(message)[:300],
        params=params or {},
        actor=actor,
        person=person,
        invitation=invitation,
    )
