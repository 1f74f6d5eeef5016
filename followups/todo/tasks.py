"""Task reminder beat task: a thin wrapper (nothing in, a count out)."""

from celery import shared_task

from .reminders import task_reminders_run


@shared_task(name="followups.tasks_todo.task_reminders_tick")
def task_reminders_tick() -> int:
    """Beat runs this every minute: remind every crossed level of every open task, once.

    Safe to run twice at once or to retry: each level is claimed with a conditional update and
    recorded once (unique constraint)."""
    return task_reminders_run()
