"""Reminders, escalation, snooze and in-app notifications (issue 7).

How a wait is watched
---------------------
1. Planning. Every time the response clock replays a conversation
   (`followups.conversations.clock.conversation_recompute_clock`) it calls `waits_plan_reminders`
   (registered with `followups.conversations.hooks.on_waits_replayed`),
   which stores the level times of the open wait in its `ReminderSchedule` (warning at a share of
   the target, due at `reply_due_at`, escalation N business minutes later) and the next moment a
   reminder is deliverable (`next_at`). Closed waits get `next_at = NULL`: a reply or "no reply
   needed" stops reminders in the same transaction. First it hands each reminder to the wait that
   now holds its customer message, so a replay never reminds a message's level twice.
2. The beat task (every minute) calls `reminders_run`: an indexed range query on `next_at`
   (partial index `reminder_schedule_next_idx`) lists the crossed rows; each one is claimed with
   `select_for_update(skip_locked=True)` in its own transaction, which records a `Reminder`
   (unique on the customer message that started the wait + level), creates the notifications
   and moves the schedule to the next level.
   A crash rolls all of it back and the next run picks the level up again; a second beat or
   worker skips locked rows and the unique constraint backs the rest. Rounds repeat until nothing
   is due, so after an outage every level that came due is reminded, in order.
3. Email batching. `notify` marks each notification "email pending"; `notification_emails_send`
   (run right after each beat run) writes at most one email per person per interval
   (ReminderSettings.email_interval_minutes) listing everything pending for them, through the
   outbox (agency_crm.outbox), which delivers it after the commit.

Business hours: a reminder is delivered only while the agency is open, unless the wait's policy
counts around the clock; one that falls outside is deferred to the next opening.
"""

from .delivery import REMINDER_KIND, RUN_BATCH, reminder_process, reminders_due_ids, reminders_process, reminders_run
from .email_failures import notify_internal_email_failed
from .notifications import (
    URGENT_KINDS,
    notification_email_send,
    notification_emails_send,
    notification_open,
    notifications_follow_merge,
    notifications_mark_all_read,
    notify,
    notify_handover,
)
from .planning import (
    deliverable_at,
    reminders_follow_calendar,
    reminders_replan_open_waits,
    wait_level_times,
    wait_plan_reminders,
    waits_plan_reminders,
)
from .snooze import wait_snooze
from .webhook_notices import notify_webhook_disabled

__all__ = [
    "REMINDER_KIND",
    "RUN_BATCH",
    "URGENT_KINDS",
    "deliverable_at",
    "notification_email_send",
    "notification_emails_send",
    "notification_open",
    "notifications_follow_merge",
    "notifications_mark_all_read",
    "notify",
    "notify_handover",
    "notify_internal_email_failed",
    "notify_webhook_disabled",
    "reminder_process",
    "reminders_due_ids",
    "reminders_process",
    "reminders_follow_calendar",
    "reminders_replan_open_waits",
    "reminders_run",
    "wait_level_times",
    "wait_plan_reminders",
    "waits_plan_reminders",
    "wait_snooze",
]
