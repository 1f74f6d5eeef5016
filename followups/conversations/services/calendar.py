"""Changing the agency's opening hours, closures, extra opening days or response targets.

Every change here re-plans every open wait in the same transaction: the clock replays each
conversation with a customer waiting on the new calendar (its due time moves), the rooms above
re-plan the wait's reminders (hooks.calendar_changed), and a client whose wait's due time moved
gets a timeline event saying from when to when and why. Closed waits keep their stored figures:
they were measured on the hours of their day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from agency_crm import facts
from clients.timeline import timeline_record

from .. import hooks
from ..clock import conversation_recompute_clock
from ..hours import BusinessCalendar, ClosureDay, ExtraOpeningDay, OpeningInterval, load_calendar
from ..models import Conversation, ResponsePolicy

# Why the due times moved, as the timeline tells it (translated for each reader).
CHANGE_HOURS = gettext_noop("the opening hours changed")
CHANGE_CLOSURES = gettext_noop("the closure days changed")
CHANGE_TARGETS = gettext_noop("the response targets changed")


def open_waits_replan(*, change: str, actor=None) -> int:
    """Replay the clock of every conversation someone is waiting in, on today's calendar, and
    re-plan their reminders. Call inside the transaction that changed the calendar. Returns how
    many due times moved."""
    calendar = load_calendar()
    moved = 0
    conversations = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("client")
        .filter(waits__closed_at__isnull=True)
        .order_by("pk")
    )
    for conversation in conversations:
        before = conversation.reply_due_at
        conversation_recompute_clock(conversation=conversation, calendar=calendar)
        if conversation.reply_due_at != before:
            moved += 1
            timeline_record(
                client=conversation.client,
                kind="wait.replanned",
                summary=gettext_noop("Reply due time moved from %(old)s to %(new)s: %(change)s"),
                params={
                    "old": facts.moment(before) if before else "—",
                    "new": facts.moment(conversation.reply_due_at) if conversation.reply_due_at else "—",
                    "change": facts.term(change),
                },
                actor=actor,
                url=conversation.get_absolute_url(),
                data={"conversation_id": conversation.pk},
            )
    hooks.calendar_changed(calendar=calendar)
    return moved


def business_hours_replace(
    *,
    weekly: dict[int, Iterable[tuple[dt.time, dt.time]]],
    time_zone: str,
    country: str,
    subdivision: str,
    actor=None,
) -> int:
    """Store the week's opening intervals (weekday -> (opens, closes) pairs; a weekday without
    any is closed), the zone and the holiday country, then re-plan the open waits. The caller
    has validated them (forms.AgencyHoursForm). Returns how many due times moved."""
    with transaction.atomic():
        calendar = BusinessCalendar.load()
        calendar.time_zone, calendar.country, calendar.subdivision = time_zone, country.upper(), subdivision
        calendar.hours_saved_at = timezone.now()
        calendar.save(update_fields=["time_zone", "country", "subdivision", "hours_saved_at"])
        OpeningInterval.objects.all().delete()
        OpeningInterval.objects.bulk_create(
            [
                OpeningInterval(weekday=weekday, opens=opens, closes=closes)
                for weekday, intervals in sorted(weekly.items())
                for opens, closes in intervals
            ]
        )
        return open_waits_replan(change=CHANGE_HOURS, actor=actor)


def closure_day_add(*, date: dt.date, reason: str = "", actor=None) -> ClosureDay:
    with transaction.atomic():
        closure = ClosureDay.objects.create(date=date, reason=reason)
        open_waits_replan(change=CHANGE_CLOSURES, actor=actor)
    return closure


def closure_day_remove(*, closure: ClosureDay, actor=None) -> None:
    with transaction.atomic():
        closure.delete()
        open_waits_replan(change=CHANGE_CLOSURES, actor=actor)


def extra_opening_day_add(
    *, date: dt.date, opens: dt.time, closes: dt.time, reason: str = "", actor=None
) -> ExtraOpeningDay:
    with transaction.atomic():
        extra = ExtraOpeningDay.objects.create(date=date, opens=opens, closes=closes, reason=reason)
        open_waits_replan(change=CHANGE_CLOSURES, actor=actor)
    return extra


def extra_opening_day_remove(*, extra: ExtraOpeningDay, actor=None) -> None:
    with transaction.atomic():
        extra.delete()
        open_waits_replan(change=CHANGE_CLOSURES, actor=actor)


def response_policy_save(
    *,
    tier: str,
    channel: str,
    first_response_minutes: int,
    next_reply_minutes: int,
    around_the_clock: bool = False,
    send_acknowledgement: bool = False,
    actor=None,
) -> ResponsePolicy:
    """Create or change the target of a (tier, channel) pair and re-plan the open waits."""
    with transaction.atomic():
        policy, _created = ResponsePolicy.objects.update_or_create(
            tier=tier,
            channel=channel,
            defaults={
                "first_response_minutes": first_response_minutes,
                "next_reply_minutes": next_reply_minutes,
                "around_the_clock": around_the_clock,
                "send_acknowledgement": send_acknowledgement,
            },
        )
        _targets_saved()
        open_waits_replan(change=CHANGE_TARGETS, actor=actor)
    return policy


def response_policy_remove(*, policy: ResponsePolicy, actor=None) -> None:
    """Remove a tier's or channel's own target (the default one stays: every wait needs one)."""
    if not policy.tier and not policy.channel:
        raise ValueError("The default response policy cannot be removed.")
    with transaction.atomic():
        policy.delete()
        _targets_saved()
        open_waits_replan(change=CHANGE_TARGETS, actor=actor)


def _targets_saved() -> None:
    BusinessCalendar.load()
    BusinessCalendar.objects.filter(pk=1).update(targets_saved_at=timezone.now())
