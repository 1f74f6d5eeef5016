"""Planning: the level times of each open wait and the next moment a reminder is deliverable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ...conversations.business_calendar import Calendar, add_business_minutes, is_open, next_opening
from ...conversations.hours import load_calendar
from ...conversations.models import ResponseWait
from ..models import (
    Reminder,
    ReminderLevel,
    ReminderSchedule,
    ReminderSettings,
)


def wait_around_the_clock(wait: ResponseWait) -> bool:
    return bool(wait.policy_id and wait.policy.around_the_clock)


def _clock_calendar(wait: ResponseWait, agency: Calendar) -> Calendar:
    return Calendar.around_the_clock(agency.time_zone) if wait_around_the_clock(wait) else agency


def deliverable_at(moment: dt.datetime, *, around_the_clock: bool, calendar: Calendar) -> dt.datetime:
    """When a reminder for `moment` may reach staff: at once around the clock or while open
    (closing time itself counts as open), otherwise at the next opening."""
    if around_the_clock or is_open(moment, calendar) or is_open(moment - dt.timedelta(seconds=1), calendar):
        return moment
    return next_opening(moment, calendar)


def wait_level_times(*, wait: ResponseWait, rules: ReminderSettings, calendar: Calendar) -> dict[int, dt.datetime]:
    """The enabled levels of a wait and when each is crossed, on the wait's clock."""
    clock = _clock_calendar(wait, calendar)
    times: dict[int, dt.datetime] = {}
    if rules.warning_enabled:
        minutes = wait.target_minutes * rules.warning_share_percent // 100
        times[ReminderLevel.WARNING] = add_business_minutes(wait.started_at, minutes, clock)
    if rules.due_enabled:
        times[ReminderLevel.DUE] = wait.reply_due_at
    if rules.escalation_enabled:
        times[ReminderLevel.ESCALATION] = add_business_minutes(wait.reply_due_at, rules.escalation_delay_minutes, clock)
    return times


def schedule_next_step(
    schedule: ReminderSchedule, wait: ResponseWait, after_level: int, done: set[int], calendar: Calendar
) -> None:
    """Point the schedule at the first level after `after_level` not yet reminded."""
    times = {
        ReminderLevel.WARNING: schedule.warning_at,
        ReminderLevel.DUE: schedule.due_at,
        ReminderLevel.ESCALATION: schedule.escalation_at,
    }
    schedule.next_level = schedule.next_at = None
    for level in sorted(times):
        if level <= after_level or level in done or times[level] is None:
            continue
        at = deliverable_at(times[level], around_the_clock=wait_around_the_clock(wait), calendar=calendar)
        if schedule.snoozed_until and schedule.snoozed_until > at:
            at = deliverable_at(schedule.snoozed_until, around_the_clock=wait_around_the_clock(wait), calendar=calendar)
        schedule.next_level, schedule.next_at = level, at
        return


def wait_plan_reminders(
    *,
    wait: ResponseWait,
    rules: ReminderSettings | None = None,
    calendar: Calendar | None = None,
    now: dt.datetime | None = None,
    force: bool = False,
) -> ReminderSchedule | None:
    """Store (or refresh) the level times of an open wait. Idempotent; cheap when unchanged."""
    if not wait.is_open:
        ReminderSchedule.objects.filter(wait=wait, next_at__isnull=False).update(next_level=None, next_at=None)
        return None
    schedule = ReminderSchedule.objects.filter(wait=wait).first()
    if (
        schedule is not None
        and not force
        and schedule.basis_started_at == wait.started_at
        and schedule.basis_reply_due_at == wait.reply_due_at
        # A stopped schedule of an open wait is re-planned: the wait may have reopened.
        and schedule.next_at is not None
    ):
        return schedule
    now = now or timezone.now()
    rules = rules or ReminderSettings.load()
    calendar = calendar or load_calendar()
    times = wait_level_times(wait=wait, rules=rules, calendar=calendar)
    if schedule is None:
        schedule = ReminderSchedule(wait=wait)
    schedule.basis_started_at, schedule.basis_reply_due_at = wait.started_at, wait.reply_due_at
    schedule.warning_at = times.get(ReminderLevel.WARNING)
    schedule.due_at = times.get(ReminderLevel.DUE)
    schedule.escalation_at = times.get(ReminderLevel.ESCALATION)
    done = set(Reminder.objects.filter(wait=wait).values_list("level", flat=True))
    if schedule.due_at is not None and schedule.due_at <= now:
        # Logged after its due time (a call noted late): a warning would only be noise.
        done.add(ReminderLevel.WARNING)
    schedule_next_step(schedule, wait, 0, done, calendar)
    schedule.save()
    return schedule


def reminders_follow_calendar(*, calendar: Calendar) -> None:
    """The clock's hook after a calendar change (hooks.on_calendar_changed)."""
    reminders_replan_open_waits(calendar=calendar)


def reminders_follow_messages(*, customer_messages: dict[int, list[int]]) -> set[int]:
    """Give each reminder of these customer messages to the wait that holds its message now (a
    replay may have merged two waits, split one, or deleted the row it was on). Returns the ids of
    the waits that received reminders. One query when nothing moved."""
    wait_of = {message_id: wait_id for wait_id, ids in customer_messages.items() for message_id in ids}
    moves: dict[int, list[int]] = {}
    for pk, message_id, wait_id in Reminder.objects.filter(message_id__in=wait_of).values_list(
        "pk", "message_id", "wait_id"
    ):
        if wait_id != wait_of[message_id]:
            moves.setdefault(wait_of[message_id], []).append(pk)
    for wait_id, reminder_ids in moves.items():
        Reminder.objects.filter(pk__in=reminder_ids).update(wait_id=wait_id)
    return set(moves)


def waits_plan_reminders(
    *,
    waits: Iterable[ResponseWait],
    calendar: Calendar | None = None,
    customer_messages: dict[int, list[int]] | None = None,
) -> None:
    """The clock's hook: move reminders to the waits holding their messages, plan the open wait,
    stop the closed ones (one UPDATE). A level already reminded for any customer message of the
    open wait is not reminded again."""
    waits = list(waits)
    received = reminders_follow_messages(customer_messages=customer_messages) if customer_messages else set()
    closed = [w.pk for w in waits if not w.is_open]
    if closed:
        ReminderSchedule.objects.filter(wait_id__in=closed, next_at__isnull=False).update(next_level=None, next_at=None)
    for wait in waits:
        if wait.is_open:
            wait_plan_reminders(wait=wait, calendar=calendar, force=wait.pk in received)


def reminders_replan_open_waits(*, batch: int = 2000, calendar: Calendar | None = None) -> int:
    """After the rules or the calendar changed (or as a repair): re-plan every open wait.
    O(open waits)."""
    rules, calendar = ReminderSettings.load(), calendar or load_calendar()
    count = 0
    waits = ResponseWait.objects.filter(closed_at__isnull=True).select_related("policy").order_by("pk")
    for wait in waits.iterator(chunk_size=batch):
        with transaction.atomic():
            wait_plan_reminders(wait=wait, rules=rules, calendar=calendar, force=True)
        count += 1
    return count
