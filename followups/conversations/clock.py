"""The response clock: derive a conversation's ResponseWaits from its messages and decisions.

Every change to a conversation's history (a message, a reply, an edited time, a "no reply
needed") calls `conversation_recompute_clock`, which replays the conversation in time order:

- a customer message when nobody waits starts a wait, due `target` business minutes later
  (first-response target until we have replied once, next-reply target afterwards);
- a message from us closes the open wait as answered, storing calendar and business seconds and
  whether the due time was met;
- a no-reply-needed decision closes the open wait without figures (neither met nor breached).

A wait is identified by the customer message that started it (`started_by`), across every
replay: logging an earlier exchange late, correcting a time, deleting a message. A stored row whose
message still starts a wait is updated in place (its id, reminder schedule and reminders stay); a
row whose message no longer starts one is deleted; a wait whose message had no row gets a new one.
So the stored figures always equal a replay from scratch. Each replay also tells the rooms above
(hooks.waits_replayed) which customer messages each wait holds: reminders are kept per customer
message, so a level reminded for a message stays reminded whichever wait the message ends up in
(followups.reminders.services.planning). A conversation has a handful of messages, so the replay
is cheap; it runs with the conversation row locked.
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


def _replay(messages, decisions, policy: ResponsePolicy, calendar: Calendar) -> tuple[list[dict], list[list[int]]]:
    """The waits a replay from scratch gives, in time order, and each one's customer message ids
    (the message that started it first). Every customer message belongs to exactly one wait: it
    starts one, or joins the one open when it came."""
    # On equal times a message comes before a decision, and a question before its answer.
    events = [(m.occurred_at, 0 if m.from_customer else 1, m.pk, m) for m in messages]
    events += [(d.decided_at, 2, d.pk, d) for d in decisions]
    events.sort(key=lambda e: e[:3])
    waits: list[dict] = []
    members: list[list[int]] = []
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
                members.append([])
            members[-1].append(item.pk)
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
    return waits, members


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
    policy = ResponsePolicy.for_tier(conversation.client.response_tier, channel=conversation.channel)
    desired, members = _replay(messages, decisions, policy, clock_calendar(policy, calendar or load_calendar()))
    for values in desired:
        values.update(_conversation_copies(conversation))

    # Match stored rows to the replay by the message that started them, never by position.
    by_starter: dict[int, ResponseWait] = {}
    retired: list[int] = []
    for wait in ResponseWait.objects.filter(conversation=conversation).order_by("started_at", "id"):
        if wait.started_by_id in by_starter:
            retired.append(wait.pk)  # a second row for one message (never written by this clock)
        else:
            by_starter[wait.started_by_id] = wait
    starters = {values["started_by"].pk for values in desired}
    retired += [wait.pk for starter, wait in by_starter.items() if starter not in starters]
    if retired:
        # Delete first: a retired row may be the open wait, and a conversation has at most one
        # (wait_one_open_per_conversation). Its reminders stay, attached to their message
        # (Reminder.wait is SET_NULL), and the hook below gives them to the wait holding it now.
        ResponseWait.objects.filter(pk__in=retired).delete()
    result: list[ResponseWait | None] = [None] * len(desired)
    # Only the last wait can be open: write the others first, so the one open row is written
    # after any row it replaces as "the open wait" has been closed.
    order = sorted(range(len(desired)), key=lambda i: desired[i]["closed_at"] is None)
    for index in order:
        values = desired[index]
        wait = by_starter.get(values["started_by"].pk)
        if wait is None:
            wait = ResponseWait.objects.create(conversation=conversation, **values)
        elif any(getattr(wait, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(wait, name, value)
            wait.save(update_fields=WAIT_FIELDS)
        result[index] = wait

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
    hooks.waits_replayed(
        waits=result, calendar=calendar, customer_messages={w.pk: ids for w, ids in zip(result, members, strict=True)}
    )
    return result
