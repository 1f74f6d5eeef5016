"""The admin of followups: each room registers its own models when its admin module is imported."""

from .care import admin as care_admin  # noqa: F401  (check-in plans)
from .conversations import admin as conversations_admin  # noqa: F401  (calendar, policies, conversations)
from .mailin import admin as mailin_admin  # noqa: F401  (inbound email)
from .reminders import admin as reminders_admin  # noqa: F401  (reminder settings)
