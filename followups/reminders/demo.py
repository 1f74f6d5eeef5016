"""Demo data of reminders (issue 7): the reminder settings and a few notifications in the bell.

Idempotent: nothing is added when the demo users already have notifications. Real reminders come
from the beat task once `make run` is up (the demo's overdue conversation gets its due and
escalation reminders within a minute during business hours).
"""

from django.utils.translation import gettext as _

from ..conversations.models import Conversation
from .models import Notification, ReminderSettings
from .services import notify


def seed(*, users) -> None:
    ReminderSettings.load()
    if Notification.objects.filter(recipient__in=users.values()).exists():
        return
    overdue = Conversation.objects.filter(status=Conversation.Status.WAITING_ON_US).select_related("client").first()
    if overdue is None:
        return
    values = {"subject": overdue.subject, "client": overdue.client.name}
    notify(
        recipients=[overdue.owner],
        kind="reminder.due",
        title=_("Reply due now: %(subject)s (%(client)s)") % values,
        conversation=overdue,
        email=False,
    )
    notify(
        recipients=[users["manager"]],
        kind="reminder.escalation",
        title=_("Escalation: nobody has replied to %(subject)s (%(client)s)") % values,
        conversation=overdue,
        email=False,
    )
