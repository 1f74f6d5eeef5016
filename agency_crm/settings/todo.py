"""Tasks (followups.todo; README, "Tasks"): the beat run of their reminders."""

from .core import CELERY_BEAT_SCHEDULE, env

# An hour before, at due, and the overdue notice the morning after; idempotent, so a short
# interval only costs an indexed range query.
CELERY_BEAT_SCHEDULE["task-reminders-tick"] = {
    "task": "followups.tasks_todo.task_reminders_tick",
    "schedule": env.float("TASK_REMINDERS_TICK_SECONDS", default=60.0),
}
