"""Care's in-app notifications, through reminders' notify()."""

from __future__ import annotations

from ..reminders.services import notify


def notify_people(*, recipients, kind: str, title: str, body: str = "", url: str = "", conversation=None) -> None:
    """In-app notification (and email) through the reminders feature's notify()."""
    recipients = [user for user in recipients if user is not None and user.is_active]
    if recipients:
        notify(recipients=recipients, kind=kind, title=title, body=body, url=url, conversation=conversation)
