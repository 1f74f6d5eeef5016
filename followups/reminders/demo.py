"""Demo data of reminders: the reminder settings, and the bell as the real beat run leaves it.

No notification is made up: `reminders_run` reminds every level the demo's waits have crossed
(during business hours; outside them the levels wait for the next opening, as in real use), so
the bell only ever speaks of conversations that are really due or overdue. Idempotent: a level
is reminded once.
"""

from .models import ReminderSettings
from .services import reminders_run


def seed(*, users) -> None:
    ReminderSettings.load()
    reminders_run()
