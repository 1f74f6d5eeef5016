"""Celery tasks of followups (autodiscovered); each feature keeps its tasks in its own module."""

from .tasks_care import care_daily, weekly_review  # noqa: F401
from .tasks_dashboard import dashboard_precompute  # noqa: F401
from .tasks_mailin import mailin_poll  # noqa: F401
from .tasks_proposals import proposals_accepted_notify  # noqa: F401
from .tasks_reminders import reminders_replan, reminders_tick  # noqa: F401
