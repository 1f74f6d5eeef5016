"""Creating, completing, reopening, editing and suggesting tasks.

Who may work a task: its assignee, whoever created it, and managers
(`agency_crm.permissions.may_change_owner` with the assignee, as for every other owned item).
Who may choose another person for it follows the same rule as every owner change: a task is
created for yourself or for the owner of what it is about by anyone; for someone else only by that
owner or a manager; and handed on by its assignee or a manager. Every change is on the client's
timeline, written in English facts and rendered in each reader's language.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts, permissions
from clients.models import Client
from clients.timeline import timeline_record
from inquiries.models import Inquiry

from ..care.models import Checkin
from ..conversations.models import Conversation
from ..reminders.services import notify
from .models import Task
from .reminders import about_words, due_moment, due_words, task_plan

ATTACHABLE = {Client: "client", Inquiry: "inquiry", Conversation: "conversation", Checkin: "checkin"}


def owner_of(target):
    """Who answers for the item a task is about (the default assignee)."""
    return target.account_owner if isinstance(target, Client) else target.owner


def may_work(user, task: Task) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return permissions.may_change_owner(user, task.assignee_id) or task.created_by_id == user.pk


def _require_work(user, task: Task) -> None:
    if not may_work(user, task):
        raise PermissionDenied


def _attachment(target) -> str:
    for model, name in ATTACHABLE.items():
        if isinstance(target, model):
            return name
    raise ValidationError(_("A task is about a client, an inquiry, a conversation or a check-in."))


def _clean(*, title: str, due_on, due_time, assignee) -> str:
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = _("Say what is to be done.")
    if not isinstance(due_on, dt.date):
        errors["due_on"] = _("Choose the day it is due.")
    if due_time is not None and not isinstance(due_time, dt.time):
        errors["due_time"] = _("Enter a time such as 14:30.")
    if assignee is None or not assignee.is_active:
        errors["assignee"] = _("Choose an active colleague.")
    if errors:
        raise ValidationError(errors)
    return title[:200]


def _record(task: Task, *, kind: str, summary: str, actor, extra: dict | None = None) -> None:
    timeline_record(
        client=task.about_client,
        kind=kind,
        summary=summary,
        params={
            "title": task.title,
            "about": about_words(task),
            "due": due_words(task),
            "assignee": facts.person(task.assignee),
            **(extra or {}),
        },
        actor=actor,
        url=(task.attached_to.get_absolute_url() if task.client_id is None and task.checkin_id is None else ""),
        data={"task_id": task.pk},
    )


def task_create(
    *,
    attached_to,
    title: str,
    due_on: dt.date,
    due_time: dt.time | None = None,
    assignee=None,
    actor,
    now: dt.datetime | None = None,
) -> Task:
    """A new task about `attached_to`, for `assignee` (by default the owner of `attached_to`)."""
    field = _attachment(attached_to)
    default = owner_of(attached_to)
    assignee = assignee or default
    if actor is not None and assignee.pk not in (actor.pk, default.pk):
        permissions.require_owner_change(actor, default)
    title = _clean(title=title, due_on=due_on, due_time=due_time, assignee=assignee)
    with transaction.atomic():
        task = Task(
            title=title,
            due_on=due_on,
            due_time=due_time,
            due_at=due_moment(due_on, due_time),
            assignee=assignee,
            created_by=actor,
            **{field: attached_to},
        )
        task_plan(task, now=now)
        task.save()
        _record(
            task,
            kind="task.created",
            summary=gettext_noop("Task for %(assignee)s: %(title)s, due %(due)s"),
            actor=actor,
        )
        if actor is not None and assignee.pk != actor.pk:
            _notify_given(task, assignee=assignee, actor=actor)
    return task


def task_suggest(*, assignee, title: str, attached_to, due_on: dt.date, due_time: dt.time | None = None) -> Task:
    """A task the app proposes (a thank-you to a referring client when the referral is won).

    Idempotent: an open task with the same title for the same person about the same item is
    returned as it is, so a retried or repeated event suggests it once."""
    field = _attachment(attached_to)
    existing = Task.objects.filter(
        **{field: attached_to}, assignee=assignee, title=" ".join(title.split())[:200], done_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    return task_create(
        attached_to=attached_to, title=title, due_on=due_on, due_time=due_time, assignee=assignee, actor=None
    )


def _lock(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("assignee", "client", "inquiry__client", "conversation__client", "checkin__client")
        .get(pk=task.pk)
    )


def task_complete(*, task: Task, actor) -> Task:
    _require_work(actor, task)
    with transaction.atomic():
        task = _lock(task)
        if task.done_at is not None:
            return task
        task.done_at, task.done_by = timezone.now(), actor
        task_plan(task)
        task.save(update_fields=["done_at", "done_by", "remind_level", "remind_at", "updated_at"])
        _record(task, kind="task.done", summary=gettext_noop("Task done: %(title)s"), actor=actor)
    return task


def task_reopen(*, task: Task, actor, now: dt.datetime | None = None) -> Task:
    _require_work(actor, task)
    with transaction.atomic():
        task = _lock(task)
        if task.done_at is None:
            return task
        task.done_at, task.done_by = None, None
        task_plan(task, now=now)
        task.save(update_fields=["done_at", "done_by", "remind_level", "remind_at", "updated_at"])
        _record(task, kind="task.reopened", summary=gettext_noop("Task reopened: %(title)s"), actor=actor)
    return task


def task_update(
    *,
    task: Task,
    actor,
    title: str,
    due_on: dt.date,
    due_time: dt.time | None,
    assignee,
    now: dt.datetime | None = None,
) -> Task:
    """Change what, when and who. Handing it to someone else asks the owner-change rule."""
    _require_work(actor, task)
    with transaction.atomic():
        task = _lock(task)
        if assignee is not None and assignee.pk != task.assignee_id:
            permissions.require_owner_change(actor, task.assignee)
        title = _clean(title=title, due_on=due_on, due_time=due_time, assignee=assignee)
        old_assignee = task.assignee
        moved = (due_on, due_time) != (task.due_on, task.due_time)
        task.title, task.due_on, task.due_time, task.assignee = title, due_on, due_time, assignee
        task.due_at = due_moment(due_on, due_time)
        if moved or task.remind_at is None:
            task_plan(task, now=now)
        task.save()
        if moved or old_assignee.pk != assignee.pk:
            _record(
                task,
                kind="task.changed",
                summary=gettext_noop("Task changed: %(title)s, due %(due)s, for %(assignee)s"),
                actor=actor,
            )
        if old_assignee.pk != assignee.pk and assignee.pk != actor.pk:
            _notify_given(task, assignee=assignee, actor=actor)
    return task


def _notify_given(task: Task, *, assignee, actor) -> None:
    """Tell `assignee` that `actor` gave them `task` (made for them, or handed to them)."""
    notify(
        recipients=[assignee],
        kind="task.assigned",
        title=gettext_noop("%(actor)s gave you a task: %(title)s (%(about)s), due %(due)s"),
        params={
            "actor": facts.person(actor),
            "title": task.title,
            "about": about_words(task),
            "due": due_words(task),
        },
        url=task.get_absolute_url(),
    )


def tasks_hand_over(*, from_user, to_user, actor) -> int:
    """Give every open task of `from_user` to `to_user` (offboarding), each on its client's timeline."""
    reason = facts.fact(gettext_noop("Handed over from %(name)s (offboarding)"), name=facts.person(from_user))
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .filter(assignee=from_user, done_at__isnull=True)
        .select_related("client", "inquiry__client", "conversation__client", "checkin__client")
    )
    for task in tasks:
        task.assignee = to_user
        task.save(update_fields=["assignee", "updated_at"])
        timeline_record(
            client=task.about_client,
            kind="task.reassigned",
            summary=gettext_noop("Task %(title)s moved from %(old)s to %(new)s"),
            params={"title": task.title, "old": facts.person(from_user), "new": facts.person(to_user)},
            body=reason,
            actor=actor,
            data={"task_id": task.pk, "to": to_user.pk},
        )
    return len(tasks)


def tasks_follow_merge(*, source, target, message_ids: list[int], whole: bool) -> None:
    """`conversations.hooks.on_moved`: a merged conversation's tasks are about the conversation it
    was merged into; a message moved out leaves them where they were (they are about the thread)."""
    if whole:
        Task.objects.filter(conversation=source).update(conversation=target)
