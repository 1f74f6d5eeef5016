"""Reminders, escalation, snooze and in-app notifications (issue 7).

How a wait is watched
---------------------
1. Planning. Every time the response clock replays a conversation
   (`followups.services.clock.conversation_recompute_clock`) it calls `waits_plan_reminders`,
   which stores the level times of the open wait in its `ReminderSchedule` (warning at a share of
   the target, due at `reply_due_at`, escalation N business minutes later) and the next moment a
   reminder is deliverable (`next_at`). Closed waits get `next_at = NULL`: a reply or "no reply
   needed" stops reminders in the same transaction.
2. The beat task (every minute) calls `reminders_run`: an indexed range query on `next_at`
   (partial index `reminder_schedule_next_idx`) lists the crossed rows; each one is claimed with
   `select_for_update(skip_locked=True)` in its own transaction, which records a `Reminder`
   (unique on wait + level), creates the notifications and moves the schedule to the next level.
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

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agency_crm.people import display_name
from clients.timeline import timeline_record

from .business_calendar import Calendar, add_business_minutes, is_open, load_calendar, next_opening
from .models import Conversation, ResponseWait
from .models_reminders import (
    Notification,
    NotificationMailbox,
    Reminder,
    ReminderLevel,
    ReminderSchedule,
    ReminderSettings,
    SnoozeReason,
)

logger = logging.getLogger(__name__)

# How many schedules one round claims; rounds repeat until nothing is due (or MAX_ROUNDS).
RUN_BATCH = 500
# Schedules claimed (and committed) together: one commit per batch instead of one per row.
CLAIM_BATCH = 50
MAX_ROUNDS = 50
REMINDER_KIND = "reminder"


# --- notifications --------------------------------------------------------------------------
def _active_unique(recipients: Iterable) -> list:
    seen, users = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def notify(
    *,
    recipients,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    conversation: Conversation | None = None,
    email: bool = True,
    reminder: Reminder | None = None,
) -> list[Notification]:
    """Create one in-app notification per active recipient (duplicates and inactive users are
    skipped). With `email`, the notification also goes into the recipient's next batched reminder
    email (at most one per person per ReminderSettings.email_interval_minutes), sent by the
    every-minute beat task through the outbox. Title and body are plain text.
    """
    if not url and conversation is not None:
        url = conversation.get_absolute_url()
    now = timezone.now()
    notifications = [
        Notification(
            recipient=user,
            kind=kind[:40],
            title=" ".join(str(title).split())[:300],
            body=str(body),
            url=url[:500],
            conversation=conversation,
            reminder=reminder,
            created_at=now,
            email_pending=bool(email and user.email),
        )
        for user in _active_unique(recipients)
    ]
    return Notification.objects.bulk_create(notifications)


def notification_open(*, notification: Notification) -> str:
    """Mark one notification read; returns where it leads."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    if notification.url:
        return notification.url
    if notification.conversation_id:
        return Conversation(pk=notification.conversation_id).get_absolute_url()
    return ""


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_email_send(*, user_id: int, now: dt.datetime | None = None, rules: ReminderSettings | None = None):
    """Write one email listing every pending notification of a person, unless they got one
    within the interval. Returns the OutboundEmail, or None."""
    from agency_crm.outbox import OutboundEmail, outbox_enqueue

    now = now or timezone.now()
    rules = rules or ReminderSettings.load()
    interval = dt.timedelta(minutes=rules.email_interval_minutes)
    NotificationMailbox.objects.get_or_create(user_id=user_id)
    with transaction.atomic():
        # The mailbox row is the per-person lock: two batchers never write two emails.
        box = NotificationMailbox.objects.select_for_update().get(user_id=user_id)
        if box.last_email_at is not None and now < box.last_email_at + interval:
            return None
        pending = list(
            Notification.objects.filter(recipient_id=user_id, email_pending=True)
            .select_related("conversation__client")
            .order_by("created_at", "id")
        )
        if not pending:
            return None
        user = get_user_model().objects.get(pk=user_id)
        email = None
        if user.is_active and user.email:
            site = settings.SITE_URL
            items = [
                {"title": n.title, "body": n.body, "link": f"{site}{n.url}" if n.url.startswith("/") else n.url}
                for n in pending
            ]
            email = outbox_enqueue(
                to=[user.email],
                subject=ngettext(
                    "%(count)d item needs your attention",
                    "%(count)d items need your attention",
                    len(items),
                )
                % {"count": len(items)},
                template="reminders/digest",
                context={"items": items, "name": display_name(user)},
                language=settings.LANGUAGE_CODE,
                kind=OutboundEmail.Kind.REMINDER,
                automatic=True,
                related={"notification_ids": [n.pk for n in pending], "user_id": user_id},
            )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_pending=False, emailed_at=now)
        box.last_email_at = now
        box.save(update_fields=["last_email_at"])
    return email


def notification_emails_send(*, now: dt.datetime | None = None) -> int:
    """Send every batched email that is due (partial index notification_email_idx)."""
    now = now or timezone.now()
    rules = ReminderSettings.load()
    user_ids = (
        Notification.objects.filter(email_pending=True).order_by().values_list("recipient_id", flat=True).distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        if notification_email_send(user_id=user_id, now=now, rules=rules) is not None:
            sent += 1
    return sent


# --- planning -------------------------------------------------------------------------------
def _policy_around_the_clock(wait: ResponseWait) -> bool:
    return bool(wait.policy_id and wait.policy.around_the_clock)


def _clock_calendar(wait: ResponseWait, agency: Calendar) -> Calendar:
    return Calendar.around_the_clock(agency.time_zone) if _policy_around_the_clock(wait) else agency


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


def _next_step(
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
        at = deliverable_at(times[level], around_the_clock=_policy_around_the_clock(wait), calendar=calendar)
        if schedule.snoozed_until and schedule.snoozed_until > at:
            at = deliverable_at(
                schedule.snoozed_until, around_the_clock=_policy_around_the_clock(wait), calendar=calendar
            )
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
    _next_step(schedule, wait, 0, done, calendar)
    schedule.save()
    return schedule


def waits_plan_reminders(*, waits: Iterable[ResponseWait], calendar: Calendar | None = None) -> None:
    """The clock's hook: plan the open wait, stop the closed ones (one UPDATE)."""
    waits = list(waits)
    closed = [w.pk for w in waits if not w.is_open]
    if closed:
        ReminderSchedule.objects.filter(wait_id__in=closed, next_at__isnull=False).update(next_level=None, next_at=None)
    for wait in waits:
        if wait.is_open:
            wait_plan_reminders(wait=wait, calendar=calendar)


def reminders_replan_open_waits(*, batch: int = 2000) -> int:
    """After the rules changed (or as a repair): re-plan every open wait. O(open waits)."""
    rules, calendar = ReminderSettings.load(), load_calendar()
    count = 0
    waits = ResponseWait.objects.filter(closed_at__isnull=True).select_related("policy").order_by("pk")
    for wait in waits.iterator(chunk_size=batch):
        with transaction.atomic():
            wait_plan_reminders(wait=wait, rules=rules, calendar=calendar, force=True)
        count += 1
    return count


# --- the beat run ---------------------------------------------------------------------------
def _managers():
    perm = Q(
        groups__permissions__codename="view_dashboard", groups__permissions__content_type__app_label="agency_crm"
    ) | Q(user_permissions__codename="view_dashboard", user_permissions__content_type__app_label="agency_crm")
    return list(
        get_user_model().objects.filter(is_active=True).filter(perm | Q(is_superuser=True)).distinct().order_by("pk")
    )


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _remind(reminder: Reminder, wait: ResponseWait) -> list[Notification]:
    conversation = wait.conversation
    client = conversation.client
    owner = conversation.owner
    values = {"subject": conversation.subject, "client": client.name, "owner": display_name(owner, "-")}
    values["due"] = _local(wait.reply_due_at)
    if reminder.level == ReminderLevel.WARNING:
        recipients = [owner]
        title = _("Reply soon: %(subject)s (%(client)s), due %(due)s") % values
    elif reminder.level == ReminderLevel.DUE:
        recipients = [owner, client.backup_owner]
        title = _("Reply due now: %(subject)s (%(client)s), owner %(owner)s") % values
    else:
        recipients = _managers()
        title = _("Escalation: %(owner)s has not replied to %(subject)s (%(client)s), due %(due)s") % values
    body = _("%(client)s has been waiting since %(since)s.") % {
        "client": client.name,
        "since": _local(wait.started_at),
    }
    return notify(
        recipients=recipients,
        kind=f"{REMINDER_KIND}.{ReminderLevel(reminder.level).name.lower()}",
        title=title,
        body=body,
        conversation=conversation,
        reminder=reminder,
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
            schedule.snoozed_until, around_the_clock=_policy_around_the_clock(wait), calendar=calendar
        )
        schedule.save(update_fields=["next_at", "updated_at"])
        return "snoozed"
    if not _policy_around_the_clock(wait) and not is_open(now, calendar):
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
        # The unique constraint (wait, level) is the last line of defence against a second
        # reminder; the savepoint keeps the claim's transaction usable if it fires.
        with transaction.atomic():
            reminder = Reminder.objects.create(wait=wait, level=level, level_at=level_at or now, created_at=now)
    except IntegrityError:
        reminder = None
    outcome = "duplicate"
    if reminder is not None:
        _remind(reminder, wait)
        outcome = "reminded"
    done = set(Reminder.objects.filter(wait=wait).values_list("level", flat=True))
    _next_step(schedule, wait, level, done, calendar)
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
            .select_related("wait__policy", "wait__conversation__client__backup_owner", "wait__conversation__owner")
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


# --- snooze ---------------------------------------------------------------------------------
def wait_snooze(*, conversation: Conversation, actor, until: dt.datetime | None, reason: str, note: str = ""):
    """Snooze the open wait's reminders until `until` (on the timeline). The response clock keeps
    running; the reason "no reply needed" closes the wait instead (through the clock's service).
    Returns the ReminderSchedule, or the NoReplyNeeded decision."""
    from .services import wait_close_no_reply_needed

    if reason not in SnoozeReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    note = " ".join((note or "").split())[:300]
    if reason == SnoozeReason.NO_REPLY_NEEDED:
        return wait_close_no_reply_needed(
            conversation=conversation, actor=actor, reason=note or str(SnoozeReason.NO_REPLY_NEEDED.label)
        )
    now = timezone.now()
    if until is None or until <= now:
        raise ValidationError({"until": _("Snooze until a time in the future.")})
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().select_related("client").get(pk=conversation.pk)
        wait = (
            ResponseWait.objects.select_related("policy")
            .filter(conversation=conversation, closed_at__isnull=True)
            .first()
        )
        if wait is None:
            raise ValidationError(_("Nobody is waiting for a reply in this conversation."))
        schedule = wait_plan_reminders(wait=wait)
        schedule = ReminderSchedule.objects.select_for_update().get(pk=schedule.pk)
        calendar = load_calendar()
        schedule.snoozed_until, schedule.snooze_reason, schedule.snooze_note = until, reason, note
        schedule.snoozed_by = actor
        if schedule.next_level is not None:
            snooze_end = deliverable_at(until, around_the_clock=_policy_around_the_clock(wait), calendar=calendar)
            schedule.next_at = max(schedule.next_at, snooze_end)
        schedule.save()
        label = SnoozeReason(reason).label
        timeline_record(
            client=conversation.client,
            kind="wait.snoozed",
            summary=_("Reminders snoozed until %(until)s: %(reason)s") % {"until": _local(until), "reason": label},
            actor=actor,
            body=note,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "wait_id": wait.pk, "until": until.isoformat(), "reason": reason},
        )
    return schedule
