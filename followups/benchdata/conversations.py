"""Benchmark conversations on every channel, with the response waits the real clock would store.

Customers write mostly in opening hours (some in the evening and at weekends); we answer after a
skewed delay counted in business minutes (a few answers after hours). The waits are derived with
the real clock replay (followups.conversations.clock._replay), so the stored figures are exactly what
the app would have computed, and a few hundred recent questions stay unanswered.
"""

from __future__ import annotations

import datetime as dt
import random

from followups.conversations.business_calendar import add_business_minutes
from followups.conversations.clock import _replay, clock_calendar
from followups.models import Conversation, Message, ResponsePolicy, ResponseWait

from .bulk_copy import CopyWriter, first_free_id, sync_sequence
from .words import BODY_EN, BODY_KO, CHANNEL_WEIGHTS, REPLIES_EN, REPLIES_KO, SUBJECTS_EN, SUBJECTS_KO, weighted

AVERAGE_THREAD = 10


def _end_thread(thread: list, may_stay_open: bool) -> None:
    """Drop the messages a generated thread must not end with."""
    if not may_stay_open:
        # Older conversations end with our answer: unanswered history would be unrealistic.
        while thread and thread[-1].direction == "in":
            thread.pop()
    elif len(thread) > 1 and thread[-1].direction == "out":
        thread.pop()  # the last customer message stays unanswered (ids may skip: harmless)


class ConversationLoader:
    """Writes conversations, messages and waits with COPY, backwards in time from `now`."""

    def __init__(self, *, rng: random.Random, now: dt.datetime, calendar, policies: list[ResponsePolicy]):
        self.rng = rng
        self.now = now
        self.calendar = calendar
        self.policies = policies
        self.calendars = {p.pk: clock_calendar(p, calendar) for p in policies}

    def _customer_time(self, base: dt.datetime, after: dt.datetime | None = None) -> dt.datetime:
        """A moment near `base` when customers write: mostly in opening hours."""
        rng = self.rng
        local = base.astimezone(self.calendar.zone)
        if rng.random() < 0.8:
            hour = rng.randint(9, 17)
        else:
            hour = rng.choice([7, 8, 18, 19, 20, 21, 22, 23])
        moment = local.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59)).astimezone(dt.UTC)
        if after is not None and moment <= after:  # a thread moves forward in time
            moment = after + dt.timedelta(minutes=rng.randint(1, 120))
        return moment

    def _reply_delay_minutes(self) -> int:
        # Median about 1.5 business hours, a long tail past a day (a few breach their target).
        return max(1, int(self.rng.lognormvariate(4.5, 1.1)))

    def _thread(self, *, size, moment, first_id, conversation_id, channel, korean, contact_ids, owner_id) -> list:
        """Up to `size` messages from `moment` on, alternating mostly between customer and us."""
        rng = self.rng
        thread = []
        message_id = first_id
        for number in range(size):
            if moment >= self.now:
                break
            from_customer = number == 0 or (thread[-1].direction == "out") or rng.random() < 0.15
            if not from_customer and rng.random() < 0.05:
                from_customer = True
            texts = (BODY_KO if korean else BODY_EN) if from_customer else (REPLIES_KO if korean else REPLIES_EN)
            message = Message(
                id=message_id,
                conversation_id=conversation_id,
                direction="in" if from_customer else "out",
                channel=channel if rng.random() < 0.9 else weighted(rng, CHANNEL_WEIGHTS),
                body=f"{rng.choice(texts)} #{message_id}",
                occurred_at=moment,
            )
            message.author_contact_id = rng.choice(contact_ids) if from_customer else None
            message.author_user_id = None if from_customer else owner_id
            thread.append(message)
            message_id += 1
            # The next message: our answer after a business-time delay, or the customer later.
            if from_customer:
                if rng.random() < 0.9:
                    moment = add_business_minutes(moment, self._reply_delay_minutes(), self.calendar)
                    moment += dt.timedelta(seconds=rng.randint(0, 59))
                else:  # answered after hours
                    moment += dt.timedelta(minutes=rng.randint(5, 600))
            else:
                moment = self._customer_time(moment + dt.timedelta(days=rng.expovariate(1 / 2)), after=moment)
        return thread

    def load(self, *, staff: list, clients: list, messages: int, weeks: int, open_waits: int, log) -> dict:
        """Exactly `messages` messages (at least 2) over the last `weeks` weeks; returns the counts."""
        rng = self.rng
        conversation_id = first_free_id(Conversation) - 1
        message_id = first_free_id(Message)
        wait_id = first_free_id(ResponseWait)
        conversations = CopyWriter(
            Conversation,
            {"id", "client_id", "contact_id", "subject", "channel", "owner_id", "status", "last_message_at"},
        )
        message_rows = CopyWriter(
            Message, {"id", "conversation_id", "direction", "channel", "body", "occurred_at", "recorded_at"}
        )
        waits = CopyWriter(ResponseWait, {f.attname for f in ResponseWait._meta.concrete_fields})
        span = dt.timedelta(weeks=weeks)
        open_budget = open_waits
        counts = {"conversations": 0, "messages": 0, "waits": 0, "open": 0}
        index = 0
        while counts["messages"] < messages:
            remaining = messages - counts["messages"]  # never 1, see below
            index += 1
            conversation_id += 1
            size = max(2, min(remaining, int(rng.expovariate(1 / AVERAGE_THREAD)) + 1))
            client_id, tier, contact_ids, account_owner, korean = rng.choice(clients)
            owner_id = account_owner if rng.random() < 0.85 else rng.choice(staff).pk
            channel = weighted(rng, CHANNEL_WEIGHTS)
            policy = ResponsePolicy.for_tier(tier, self.policies, channel)
            # Recent conversations are more common (a growing agency).
            age = span * (1 - rng.random() ** 0.7)
            thread = self._thread(
                size=size,
                moment=self._customer_time(self.now - age),
                first_id=message_id,
                conversation_id=conversation_id,
                channel=channel,
                korean=korean,
                contact_ids=contact_ids,
                owner_id=owner_id,
            )
            message_id += len(thread)
            # Leave the newest conversations unanswered until the open-wait budget is spent.
            may_stay_open = age < dt.timedelta(days=10) and open_budget > 0
            _end_thread(thread, may_stay_open)
            if remaining - len(thread) == 1:
                # One message left to write could only become a lone unanswered question, which needs a
                # recent conversation and open-wait budget; a question and its answer would overshoot
                # the requested count. Shorten this thread instead (the remainder is then 2 or more).
                thread.pop()
                _end_thread(thread, may_stay_open)
            if not thread:
                continue
            replayed, _members = _replay(thread, [], policy, self.calendars[policy.pk])
            status = "waiting_on_customer"
            awaiting_since = reply_due_at = None
            if replayed and replayed[-1]["closed_at"] is None:
                status = "waiting_on_us"
                awaiting_since, reply_due_at = replayed[-1]["started_at"], replayed[-1]["reply_due_at"]
                open_budget -= 1
                counts["open"] += 1
            conversations.add(
                id=conversation_id,
                client_id=client_id,
                contact_id=rng.choice(contact_ids),
                subject=rng.choice(SUBJECTS_KO if korean else SUBJECTS_EN),
                channel=channel,
                owner_id=owner_id,
                status=status,
                awaiting_since=awaiting_since,
                reply_due_at=reply_due_at,
                last_message_at=thread[-1].occurred_at,
                created_at=thread[0].occurred_at,
            )
            for message in thread:
                message_rows.add(
                    id=message.id,
                    conversation_id=conversation_id,
                    direction=message.direction,
                    channel=message.channel,
                    author_user_id=message.author_user_id,
                    author_contact_id=message.author_contact_id,
                    body=message.body,
                    occurred_at=message.occurred_at,
                    recorded_at=message.occurred_at,
                    recorded_by_id=None,
                )
            for values in replayed:
                waits.add(
                    id=wait_id,
                    conversation_id=conversation_id,
                    kind=values["kind"],
                    policy_id=values["policy"].pk,
                    target_minutes=values["target_minutes"],
                    started_at=values["started_at"],
                    started_by_id=values["started_by"].id,
                    reply_due_at=values["reply_due_at"],
                    closed_at=values["closed_at"],
                    closed_reason=values["closed_reason"],
                    answered_by_id=values["answered_by"].id if values["answered_by"] else None,
                    no_reply_decision_id=None,
                    calendar_seconds=values["calendar_seconds"],
                    business_seconds=values["business_seconds"],
                    met_target=values["met_target"],
                    owner_id=owner_id,
                    client_id=client_id,
                    channel=channel,
                )
                wait_id += 1
            counts["conversations"] += 1
            counts["messages"] += len(thread)
            counts["waits"] += len(replayed)
            if index % 20000 == 0:
                log(f"  {index} conversations, {counts['messages']} messages")
        for writer in (conversations, message_rows, waits):
            writer.flush()
        for model in (Conversation, Message, ResponseWait):
            sync_sequence(model)
        return counts
