"""Care's in-app notifications, through reminders' notify()."""

from __future__ import annotations

from ..reminders.services import notify


def notify_people(
    *,
    recipients,
    kind: str,
    title: str,
    params: dict | None = None,
    body: str = "",
    body_params: dict | None = None,
    url: str = "",
    conversation=None,
) -> None:
    """In-app notification (and email) through the reminders feature's notify(); title and body
    are facts when their params are given (agency_crm.facts)."""
    recipients = [user for user in recipients if user is not None and user.is_active]
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            title=title,
            params=params,
            body=body,
            body_params=body_params,
            url=url,
            conversation=conversation,
        )
