"""Reads that the followups pages need, each a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch

from clients.models import ResponseTier

from .business_calendar import Calendar, business_seconds_between
from .models import Channel, Conversation, InternalNote, Message, ResponseWait

# Allow-lists of the inbox filters: anything else in the query string is ignored.
INBOX_FILTERS = ("mine", "owner", "channel", "tier")
CHANNEL_VALUES = set(Channel.values)
TIER_VALUES = set(ResponseTier.values)


@dataclass
class InboxFilters:
    mine: bool = False
    owner_id: int | None = None
    channel: str = ""
    tier: str = ""

    @classmethod
    def from_query(cls, params) -> InboxFilters:
        owner = params.get("owner", "")
        return cls(
            mine=params.get("mine") == "1",
            owner_id=int(owner) if owner.isdigit() else None,
            channel=params.get("channel") if params.get("channel") in CHANNEL_VALUES else "",
            tier=params.get("tier") if params.get("tier") in TIER_VALUES else "",
        )


def staff_choices():
    return list(get_user_model().objects.filter(is_active=True).order_by("first_name", "username"))


def inbox_conversations(*, user, filters: InboxFilters):
    """Conversations waiting on us, overdue first, then by due time (one query).

    Overdue rows have the earliest due times, so ordering by reply_due_at puts them first.
    """
    queryset = (
        Conversation.objects.filter(status=Conversation.Status.WAITING_ON_US)
        .select_related("client", "contact", "owner")
        .order_by(F("reply_due_at").asc(nulls_last=True), "id")
    )
    if filters.mine:
        queryset = queryset.filter(owner=user)
    elif filters.owner_id:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.tier:
        queryset = queryset.filter(client__response_tier=filters.tier)
    return queryset


@dataclass
class ClockState:
    waiting_business_seconds: int
    left_business_seconds: int  # negative when overdue (business time past the due time)
    overdue: bool


def clock_state(conversation: Conversation, calendar: Calendar, now: dt.datetime) -> ClockState | None:
    if conversation.awaiting_since is None or conversation.reply_due_at is None:
        return None
    waited = business_seconds_between(conversation.awaiting_since, now, calendar)
    overdue = now > conversation.reply_due_at
    if overdue:
        left = -business_seconds_between(conversation.reply_due_at, now, calendar)
    else:
        left = business_seconds_between(now, conversation.reply_due_at, calendar)
    return ClockState(waiting_business_seconds=waited, left_business_seconds=left, overdue=overdue)


def conversation_list(*, status: str = ""):
    queryset = Conversation.objects.select_related("client", "contact", "owner").order_by(
        F("last_message_at").desc(nulls_last=True), "-id"
    )
    if status in Conversation.Status.values:
        queryset = queryset.filter(status=status)
    return queryset


def conversation_detail(*, pk: int):
    """The conversation with its thread, notes, waits and topics (five queries)."""
    return Conversation.objects.select_related("client", "contact", "owner").prefetch_related(
        Prefetch(
            "messages",
            queryset=Message.objects.select_related("author_user", "author_contact").order_by("occurred_at", "id"),
        ),
        Prefetch("notes", queryset=InternalNote.objects.select_related("author")),
        Prefetch(
            "waits",
            queryset=ResponseWait.objects.select_related("no_reply_decision__decided_by").order_by("started_at"),
        ),
        "tags",
    )
