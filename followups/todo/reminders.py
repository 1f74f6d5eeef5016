"""Task reminders: an hour before and at the due time, and an overdue notice the morning after.

Tasks are wall-clock (business hours do not matter): a task with a time is reminded an hour before
and at that time; a task with a date only has no "hour before": it is reminded in the morning of
its day (TASK_MORNING, agency time). One still open the morning after its day gets an overdue
notice. Every notice goes through the notification rules (`followups.reminders.services.notify`):
the bell, and the batched digest email (at most one per person per interval) unless the person
asked for that kind at once.

Planning (`task_plan`) stores the next level and its moment on the task (`remind_level`,
`remind_at`; a level already past when a task is saved is skipped). The beat task
(`task_reminders_run`, every minute) finds the crossed ones with an indexed range query, claims
each with a conditional update of exactly the level and moment it read, records a `TaskReminder`
(unique per task, level and due moment) and notifies, in one transaction. A second beat or
worker's update finds nothing to claim, and the unique constraint backs the rest. Rounds repeat
until nothing is due, so after an outage every level that came due is reminded, in order.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from agency_crm import facts

from ..reminders.services import notify
from .models import Task, TaskReminder, TaskReminderLevel

logger = logging.getLogger(__name__)

TASK_MORNING = dt.time(9, 0)
SOON_BEFORE = dt.timedelta(hours=1)
RUN_BATCH = 200
MAX_ROUNDS = 10
KINDS = {
    TaskReminderLevel.SOON: "task.soon",
    TaskReminderLevel.DUE: "task.due",
    TaskReminderLevel.OVERDUE: "task.overdue",
}


def due_moment(due_on: dt.date, due_time: dt.time | None) -> dt.datetime:
    """The aware moment a task is due: its time in the agency's zone, or the end of its day."""
    return timezone.make_aware(dt.datetime.combine(due_on, due_time or dt.time.max))


def _morning(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, TASK_MORNING))


def level_times(task: Task) -> dict[int, dt.datetime]:
    if task.due_time is not None:
        times = {TaskReminderLevel.SOON: task.due_at - SOON_BEFORE, TaskReminderLevel.DUE: task.due_at}
    else:
        times = {TaskReminderLevel.DUE: _morning(task.due_on)}
    times[TaskReminderLevel.OVERDUE] = _morning(task.due_on + dt.timedelta(days=1))
    return times


def _next(task: Task, *, after_level: int | None = None, now: dt.datetime | None = None):
    for level, at in sorted(level_times(task).items()):
        if after_level is not None and level <= after_level:
            continue
        if after_level is None and at <= now:
            continue
        return level, at
    return None, None


def task_plan(task: Task, *, now: dt.datetime | None = None) -> None:
    """Set the task's next reminder (not saved): none when done, else the first level still to come."""
    if task.done_at is not None:
        task.remind_level, task.remind_at = None, None
        return
    task.remind_level, task.remind_at = _next(task, now=now or timezone.now())


def due_words(task: Task) -> dict:
    """The due moment as a fact: a day, or a day and a time, in each reader's format."""
    return facts.moment(task.due_at) if task.due_time is not None else facts.day(task.due_on)


def about_words(task: Task) -> str:
    target = task.attached_to
    if task.client_id is not None:
        return target.name
    if task.inquiry_id is not None:
        return f"{target.title} ({target.client.name})"
    if task.conversation_id is not None:
        return f"{target.subject} ({target.client.name})"
    return target.client.name


_TITLES = {
    TaskReminderLevel.SOON: gettext_noop("Task due at %(due)s: %(title)s (%(about)s)"),
    TaskReminderLevel.DUE: gettext_noop("Task due now: %(title)s (%(about)s)"),
    TaskReminderLevel.OVERDUE: gettext_noop("Overdue task: %(title)s (%(about)s), due %(due)s"),
}


def _notify(task: Task, level: int) -> None:
    notify(
        recipients=[task.assignee],
        kind=KINDS[level],
        title=_TITLES[level],
        params={"title": task.title, "about": about_words(task), "due": due_words(task)},
        url=reverse("followups:tasks") + f"#task-{task.pk}",
    )


def task_remind(*, task_id: int, level: int, remind_at: dt.datetime) -> bool:
    """Remind one crossed level of a task, once. False when another run got there first."""
    with transaction.atomic():
        task = (
            Task.objects.select_related(
                "assignee", "client", "inquiry__client", "conversation__client", "checkin__client"
            )
            .filter(pk=task_id)
            .first()
        )
        if task is None:
            return False
        next_level, next_at = _next(task, after_level=level)
        # The claim: only the run that moves exactly this level and moment on goes further.
        claimed = Task.objects.filter(pk=task_id, remind_level=level, remind_at=remind_at, done_at__isnull=True).update(
            remind_level=next_level, remind_at=next_at
        )
        if not claimed:
            return False
        try:
            with transaction.atomic():
                TaskReminder.objects.create(task=task, level=level, due_at=task.due_at)
        except IntegrityError:
            return False  # this level was reminded for this due moment already (a reopened task)
        _notify(task, level)
    return True


def task_reminders_run(*, now: dt.datetime | None = None) -> int:
    """Remind every crossed level (the beat task; safe to run twice at once or to retry)."""
    now = now or timezone.now()
    reminded = 0
    for _round in range(MAX_ROUNDS):
        due = list(
            Task.objects.filter(remind_at__lte=now)
            .order_by("remind_at", "id")
            .values_list("pk", "remind_level", "remind_at")[:RUN_BATCH]
        )
        if not due:
            break
        for task_id, level, remind_at in due:
            try:
                reminded += task_remind(task_id=task_id, level=level, remind_at=remind_at)
            except Exception:
                # One broken row must not hold back everyone else's reminders.
                logger.exception("tasks: task %s could not be reminded", task_id)
    return reminded
