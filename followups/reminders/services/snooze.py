"""Snooze: hold an open wait's reminders until a time, with a reason, on the timeline."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from clients.timeline import timeline_record

from ...conversations.hours import load_calendar
from ...conversations.models import Conversation, ResponseWait
from ...conversations.services import wait_close_no_reply_needed
from ..models import (
    ReminderSchedule,
    SnoozeReason,
)
from .planning import deliverable_at, wait_around_the_clock, wait_plan_reminders


def wait_snooze(*, conversation: Conversation, actor, until: dt.datetime | None, reason: str, note: str = ""):
    """Snooze the open wait's reminders until `until` (on the timeline). The response clock keeps
    running; the reason "no reply needed" closes the wait instead (through the clock's service).
    Returns the ReminderSchedule, or the NoReplyNeeded decision."""
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
            snooze_end = deliverable_at(until, around_the_clock=wait_around_the_clock(wait), calendar=calendar)
            schedule.next_at = max(schedule.next_at, snooze_end)
        schedule.save()
        timeline_record(
            client=conversation.client,
            kind="wait.snoozed",
            summary=gettext_noop("Reminders snoozed until %(until)s: %(reason)s"),
            params={"until": facts.moment(until), "reason": facts.term(SnoozeReason(reason).label)},
            actor=actor,
            body=note,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "wait_id": wait.pk, "until": until.isoformat(), "reason": reason},
        )
    return schedule
