"""Reads of tasks: "My tasks", the navigation's count, a page's panel, the board's next step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from inquiries.hooks import NextStep

from .models import Task

RELATED = ("client", "inquiry__client", "conversation__client", "checkin__client")
DONE_SHOWN = 20


@dataclass
class MyTasks:
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    this_week: list[Task] = field(default_factory=list)
    later: list[Task] = field(default_factory=list)
    done: list[Task] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.today or self.this_week or self.later or self.done)


def my_tasks(*, user, now: dt.datetime | None = None) -> MyTasks:
    """The assignee's open tasks by when they are due, and the latest done ones (two queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    end_of_week = today + dt.timedelta(days=6 - today.weekday())  # the coming Sunday
    result = MyTasks()
    for task in (
        Task.objects.filter(assignee=user, done_at__isnull=True).select_related(*RELATED).order_by("due_at", "id")
    ):
        if task.due_at < now:
            result.overdue.append(task)
        elif task.due_on == today:
            result.today.append(task)
        elif task.due_on <= end_of_week:
            result.this_week.append(task)
        else:
            result.later.append(task)
    result.done = list(
        Task.objects.filter(assignee=user, done_at__isnull=False)
        .select_related(*RELATED)
        .order_by("-done_at", "-id")[:DONE_SHOWN]
    )
    return result


def tasks_due_count(*, user, now: dt.datetime | None = None) -> int:
    """Open tasks of `user` that are overdue or due today (one COUNT, index task_open_idx)."""
    today = timezone.localdate(now or timezone.now())
    return Task.objects.filter(assignee=user, done_at__isnull=True, due_on__lte=today).count()


def tasks_about(target_field: str, target) -> list[Task]:
    """The open tasks of one client, inquiry, conversation or check-in, soonest first (one query)."""
    return list(
        Task.objects.filter(**{target_field: target}, done_at__isnull=True)
        .select_related("assignee")
        .order_by("due_at", "id")
    )


def inquiry_next_steps(inquiry_ids: list[int]) -> dict[int, NextStep]:
    """Each inquiry's open task due soonest, in one query on PostgreSQL and on the SQLite of
    `make run` (which has no DISTINCT ON): the open tasks that are their inquiry's first by
    (due_at, id), a correlated subquery on index task_inquiry_next_idx. Registered with
    `inquiries.hooks.on_next_steps`."""
    if not inquiry_ids:
        return {}
    first = (
        Task.objects.filter(inquiry_id=OuterRef("inquiry_id"), done_at__isnull=True)
        .order_by("due_at", "id")
        .values("pk")[:1]
    )
    rows = Task.objects.filter(inquiry_id__in=inquiry_ids, done_at__isnull=True, pk=Subquery(first)).values_list(
        "inquiry_id", "title", "due_at", "due_time"
    )
    return {
        inquiry_id: NextStep(title=title, due_at=due_at, has_time=due_time is not None)
        for inquiry_id, title, due_at, due_time in rows
    }
