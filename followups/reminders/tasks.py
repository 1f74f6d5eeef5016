"""Reminder tasks: thin wrappers that call followups.reminders.services (ids in, nothing out)."""

from celery import shared_task

from . import services as services_reminders


@shared_task(name="followups.tasks_reminders.reminders_tick")
def reminders_tick() -> dict:
    """Beat runs this every minute: remind every crossed level, then send the batched emails.

    Safe to run twice at once or to retry: rows are claimed with SKIP LOCKED and each level is
    recorded once (unique constraint).
    """
    return services_reminders.reminders_run()


@shared_task(name="followups.tasks_reminders.reminders_replan")
def reminders_replan() -> int:
    """Re-plan every open wait (after a manager changed the reminder settings)."""
    return services_reminders.reminders_replan_open_waits()
