"""The beat run: claim each crossed level once, notify, and move the schedule to the next level."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.outbox.notices import ANSWER_DUE, customer_notice
from agency_crm.roles import active_managers

from ...conversations.business_calendar import Calendar, is_open, next_opening
from ...conversations.hours import load_calendar
from ...conversations.models import ResponseWait
from ...conversations.webhook_data import wait_emit_breached
from ..models import (
    Notification,
    Reminder,
    ReminderLevel,
    ReminderSchedule,
)
from .notifications import notification_emails_send, notify
from .planning import deliverable_at, schedule_next_step, wait_around_the_clock

logger = logging.getLogger(__name__)

# How many schedules one round claims; rounds repeat until nothing is due (or MAX_ROUNDS).
RUN_BATCH = 500
# Schedules claimed (and committed) together: one commit per batch instead of one per row.
CLAIM_BATCH = 50
MAX_ROUNDS = 50
REMINDER_KIND = "reminder"


def local_minute(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _remind(reminder: Reminder, wait: ResponseWait) -> list[Notification]:
    conversation = wait.conversation
    client = conversation.client
    owner = conversation.owner
    values = {"subject": conversation.subject, "client": client.name, "owner": facts.person(owner, "-")}
    values["due"] = facts.moment(wait.reply_due_at)
    if reminder.level == ReminderLevel.WARNING:
        recipients = [owner]
        title = gettext_noop("Reply soon: %(subject)s (%(client)s), due %(due)s")
    elif reminder.level == ReminderLevel.DUE:
        recipients = [owner, client.backup_owner]
        title = gettext_noop("Reply due now: %(subject)s (%(client)s), owner %(owner)s")
    else:
        recipients = active_managers()
        title = gettext_noop("Escalation: %(owner)s has not replied to %(subject)s (%(client)s), due %(due)s")
    return notify(
        recipients=recipients,
        kind=f"{REMINDER_KIND}.{ReminderLevel(reminder.level).name.lower()}",
        title=title,
        params=values,
        body=gettext_noop("%(client)s has been waiting since %(since)s."),
        body_params={"client": client.name, "since": facts.moment(wait.started_at)},
        conversation=conversation,
        reminder=reminder,
    )


def _tell_the_customer_the_answer_is_due(wait: ResponseWait) -> None:
    """The time we promised the customer has come: the channels that can reach them on their own
    (AlimTalk, when they agreed) say the answer is on its way (agency_crm.outbox.notices)."""
    conversation = wait.conversation
    if conversation.contact_id is None or conversation.client.is_placeholder:
        return
    customer_notice(
        purpose=ANSWER_DUE,
        contact=conversation.contact,
        values={"subject": conversation.subject, "due": wait.reply_due_at},
        conversation=conversation,
    )


def _process_claimed(schedule: ReminderSchedule, now: dt.datetime, calendar: Calendar) -> str:
    """Remind the crossed level of a schedule locked by the caller's transaction."""
    wait = schedule.wait
    if not wait.is_open:
        schedule.next_level = schedule.next_at = None
        schedule.save(update_fields=["next_level", "next_at", "updated_at"])
        return "closed"
    if schedule.snoozed_until and schedule.snoozed_until > now:
        schedule.next_at = deliverable_at(
            schedule.snoozed_until, around_the_clock=wait_around_the_clock(wait), calendar=calendar
        )
        schedule.save(update_fields=["next_at", "updated_at"])
        return "snoozed"
    if not wait_around_the_clock(wait) and not is_open(now, calendar):
        # Outside business hours (say the broker came back at night): wait for the opening.
        schedule.next_at = next_opening(now, calendar)
        schedule.save(update_fields=["next_at", "updated_at"])
        return "deferred"
    level = schedule.next_level
    level_at = {
        ReminderLevel.WARNING: schedule.warning_at,
        ReminderLevel.DUE: schedule.due_at,
        ReminderLevel.ESCALATION: schedule.escalation_at,
    }[level]
    try:
        # The unique constraint (message, level) is the last line of defence against a second
        # reminder; the savepoint keeps the claim's transaction usable if it fires.
        with transaction.atomic():
            reminder = Reminder.objects.create(
                wait=wait, message_id=wait.started_by_id, level=level, level_at=level_at or now, created_at=now
            )
    except IntegrityError:
        reminder = None
    outcome = "duplicate"
    if reminder is not None:
        _remind(reminder, wait)
        if level == ReminderLevel.DUE:
            # The reply is due now and none was sent: the wait has breached its target.
            wait_emit_breached(wait)
            _tell_the_customer_the_answer_is_due(wait)
        outcome = "reminded"
    done = set(Reminder.objects.filter(wait=wait).values_list("level", flat=True))
    schedule_next_step(schedule, wait, level, done, calendar)
    schedule.save(update_fields=["next_level", "next_at", "updated_at"])
    return outcome


def reminders_process(
    *, wait_ids: list[int], now: dt.datetime | None = None, calendar: Calendar | None = None
) -> dict[int, str]:
    """Claim the crossed schedules among `wait_ids` (SKIP LOCKED: rows another run holds are
    left to it) and remind each one's level, all in one transaction. Returns {wait_id: outcome};
    an id that was locked elsewhere or is no longer due is "skipped". A crash rolls the whole
    batch back, and the next run claims it again."""
    now = now or timezone.now()
    calendar = calendar or load_calendar()
    outcomes = dict.fromkeys(wait_ids, "skipped")
    with transaction.atomic():
        claimed = (
            ReminderSchedule.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "wait__policy",
                "wait__conversation__client__backup_owner",
                "wait__conversation__owner",
                "wait__conversation__contact",
            )
            .filter(pk__in=wait_ids, next_at__isnull=False, next_at__lte=now)
            .order_by("next_at", "pk")
        )
        for schedule in claimed:
            outcomes[schedule.pk] = _process_claimed(schedule, now, calendar)
    return outcomes


def reminder_process(*, wait_id: int, now: dt.datetime | None = None, calendar: Calendar | None = None) -> str:
    """Claim one crossed schedule and remind its level. Returns what happened."""
    return reminders_process(wait_ids=[wait_id], now=now, calendar=calendar)[wait_id]


def reminders_due_ids(*, now: dt.datetime, limit: int = RUN_BATCH) -> list[int]:
    """The crossed schedules, oldest first (index range scan on reminder_schedule_next_idx)."""
    return list(
        ReminderSchedule.objects.filter(next_at__isnull=False, next_at__lte=now)
        .order_by("next_at")
        .values_list("pk", flat=True)[:limit]
    )


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One beat run: remind every crossed level, in order, then send the batched emails."""
    now = now or timezone.now()
    calendar = load_calendar()
    counts: dict[str, int] = {}
    seen_skipped: set[int] = set()
    for _round in range(MAX_ROUNDS):
        ids = [pk for pk in reminders_due_ids(now=now) if pk not in seen_skipped]
        if not ids:
            break
        for start in range(0, len(ids), CLAIM_BATCH):
            outcomes = reminders_process(wait_ids=ids[start : start + CLAIM_BATCH], now=now, calendar=calendar)
            for wait_id, outcome in outcomes.items():
                counts[outcome] = counts.get(outcome, 0) + 1
                if outcome == "skipped":
                    seen_skipped.add(wait_id)  # locked by another run: do not spin on it
    counts["emails"] = notification_emails_send(now=now)
    return counts
