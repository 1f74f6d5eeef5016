"""The response clock: derive a conversation's ResponseWaits from its messages and decisions.

Every change to a conversation's history (a message, a reply, an edited time, a "no reply
needed") calls `conversation_recompute_clock`, which replays the conversation in time order:

- a customer message when nobody waits starts a wait, due `target` business minutes later
  (first-response target until we have replied once, next-reply target afterwards);
- a message from us closes the open wait as answered, storing calendar and business seconds and
  whether the due time was met;
- a no-reply-needed decision closes the open wait without figures (neither met nor breached).

The rows are updated in place (ids stay stable for reminders), extra ones deleted, new ones
created, so the stored figures always equal a replay from scratch. A conversation has a handful of
messages, so the replay is cheap; it runs with the conversation row locked.
"""

from __future__ import annotations

import datetime as dt

from . import hooks
from .business_calendar import Calendar, add_business_minutes, business_seconds_between
from .hours import load_calendar
from .models import Conversation, Message, NoReplyNeeded, ResponsePolicy, ResponseWait

WAIT_FIELDS = [
    "kind",
    "policy",
    "target_minutes",
    "started_at",
    "started_by",
    "reply_due_at",
    "closed_at",
    "closed_reason",
    "answered_by",
    "no_reply_decision",
    "calendar_seconds",
    "business_seconds",
    "met_target",
    # Copies of the conversation's (see ResponseWait.owner).
    "owner",
    "client",
    "channel",
]


def clock_calendar(policy: ResponsePolicy, agency: Calendar) -> Calendar:
    return Calendar.around_the_clock(agency.time_zone) if policy.around_the_clock else agency


def _replay(messages, decisions, policy: ResponsePolicy, calendar: Calendar) -> list[dict]:
    # On equal times a message comes before a decision, and a question before its answer.
    events = [(m.occurred_at, 0 if m.from_customer else 1, m.pk, m) for m in messages]
    events += [(d.decided_at, 2, d.pk, d) for d in decisions]
    events.sort(key=lambda e: e[:3])
    waits: list[dict] = []
    open_wait: dict | None = None
    replied = False
    for when, _order, _pk, item in events:
        when = when.astimezone(dt.UTC)
        if isinstance(item, NoReplyNeeded):
            if open_wait is not None:
                open_wait.update(
                    closed_at=when, closed_reason=ResponseWait.ClosedReason.NO_REPLY_NEEDED, no_reply_decision=item
                )
                open_wait = None
        elif item.from_customer:
            if open_wait is None:
                kind = ResponseWait.Kind.NEXT if replied else ResponseWait.Kind.FIRST
                target = policy.next_reply_minutes if replied else policy.first_response_minutes
                open_wait = {
                    "kind": kind,
                    "policy": policy,
                    "target_minutes": target,
                    "started_at": when,
                    "started_by": item,
                    "reply_due_at": add_business_minutes(when, target, calendar),
                    "closed_at": None,
                    "closed_reason": "",
                    "answered_by": None,
                    "no_reply_decision": None,
                    "calendar_seconds": None,
                    "business_seconds": None,
                    "met_target": None,
                }
                waits.append(open_wait)
        else:
            replied = True
            if open_wait is not None:
                open_wait.update(
                    closed_at=when,
                    closed_reason=ResponseWait.ClosedReason.ANSWERED,
                    answered_by=item,
                    calendar_seconds=int((when - open_wait["started_at"]).total_seconds()),
                    business_seconds=business_seconds_between(open_wait["started_at"], when, calendar),
                    met_target=when <= open_wait["reply_due_at"],
                )
                open_wait = None
    return waits


def _conversation_copies(conversation: Conversation) -> dict:
    return {"owner_id": conversation.owner_id, "client_id": conversation.client_id, "channel": conversation.channel}


def waits_follow_conversation(*, conversation: Conversation) -> int:
    """Copy the conversation's owner, client and channel onto its waits (after a handover), so
    the dashboard's figures move with the work. Returns how many waits it wrote."""
    return ResponseWait.objects.filter(conversation_id=conversation.pk).update(**_conversation_copies(conversation))


def conversation_recompute_clock(*, conversation: Conversation, calendar: Calendar | None = None) -> list[ResponseWait]:
    """Bring the conversation's waits and clock fields in line with its history.

    Call inside a transaction holding the conversation row (select_for_update). Returns the waits
    in time order.
    """
    messages = list(Message.objects.filter(conversation=conversation).order_by("occurred_at", "id"))
    decisions = list(NoReplyNeeded.objects.filter(conversation=conversation).order_by("decided_at", "id"))
    policy = ResponsePolicy.for_tier(conversation.client.response_tier)
    desired = _replay(messages, decisions, policy, clock_calendar(policy, calendar or load_calendar()))
    for values in desired:
        values.update(_conversation_copies(conversation))

    existing = list(ResponseWait.objects.filter(conversation=conversation).order_by("started_at", "id"))
    # Delete surplus rows first: one of them may be the open wait a kept row is about to become.
    surplus = existing[len(desired) :]
    if surplus:
        ResponseWait.objects.filter(pk__in=[w.pk for w in surplus]).delete()
    result = []
    for index, values in enumerate(desired):
        if index < len(existing):
            wait = existing[index]
            if any(getattr(wait, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(wait, name, value)
                wait.save(update_fields=WAIT_FIELDS)
        else:
            wait = ResponseWait.objects.create(conversation=conversation, **values)
        result.append(wait)

    open_wait = result[-1] if result and result[-1].is_open else None
    conversation.awaiting_since = open_wait.started_at if open_wait else None
    conversation.reply_due_at = open_wait.reply_due_at if open_wait else None
    conversation.last_message_at = messages[-1].occurred_at if messages else None
    closed_by_decision = (
        bool(result)
        and result[-1].closed_reason == ResponseWait.ClosedReason.NO_REPLY_NEEDED
        and result[-1].closed_at >= messages[-1].occurred_at
    )
    if open_wait:
        conversation.status = Conversation.Status.WAITING_ON_US
    elif closed_by_decision:
        conversation.status = Conversation.Status.CLOSED
    else:
        conversation.status = Conversation.Status.WAITING_ON_CUSTOMER
    conversation.save(update_fields=["awaiting_since", "reply_due_at", "last_message_at", "status"])
    # Reminders plan the open wait's level times and stop the closed waits' (hooks.on_waits_replayed).
    hooks.waits_replayed(waits=result, calendar=calendar)
    return result
