"""Reads that the followups pages need, each a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, F, Func, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from agency_crm import params as query_params
from agency_crm.params import clean_text
from clients.models import Client, Contact, ResponseTier
from clients.search import indexed_per_field, phone_digits_match, text_filter

from .business_calendar import Calendar, business_seconds_between
from .clock import clock_calendar
from .hours import load_calendar
from .models import Channel, Conversation, InternalNote, Message, ResponsePolicy, ResponseWait, ThreadMove

# Allow-lists of the inbox filters: anything else in the query string is ignored.
INBOX_FILTERS = ("mine", "owner", "channel", "tier")
# Rendering a row costs far more than fetching it: 200 rows took ~150 ms of template time at
# 1,000,000 messages, so the inbox shows the most urgent 50 and pages through the rest.
INBOX_PAGE_SIZE = 50
# What an inbox row shows (followups/conversations/inbox.py), read as values: fifty rows of four
# model instances each took longer to build (2 ms) than the query took to run.
INBOX_ROW_VALUES = (
    *("pk", "subject", "channel", "sender_unverified", "awaiting_since", "reply_due_at"),
    *("client__name", "client__is_placeholder", "client__response_tier", "contact__name"),
    *("owner__username", "owner__first_name", "owner__last_name"),
)
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
        return cls(
            mine=query_params.flag(params, "mine"),
            owner_id=query_params.integer(params, "owner"),
            channel=query_params.choice(params, "channel", CHANNEL_VALUES),
            tier=query_params.choice(params, "tier", TIER_VALUES),
        )

    def as_query(self) -> str:
        """The filters as a query string (for page links), only the allow-listed values."""
        values = [("mine", "1" if self.mine else ""), ("owner", self.owner_id or "")]
        values += [("channel", self.channel), ("tier", self.tier)]
        return urlencode([(key, value) for key, value in values if value])


# The quick-log contact picker: at most this many matches per search.
CONTACT_PICKER_LIMIT = 20
CONTACT_PICKER_MAX_TERMS = 5
CONTACT_PICKER_FIELDS = ("name", "client__name", "email", "phone")


def loggable_contacts():
    """Contacts a call or message may be logged for: those of customers (not archived, and not a
    placeholder such as the triage client).

    The quick-log form validates a posted id against this queryset (one row), and the picker
    searches it; it is never listed in full.
    """
    return Contact.objects.of_customers().select_related("client")


def loggable_contact(*, pk: int | None) -> Contact | None:
    """One loggable contact by id (e.g. `/inbox/?contact=<id>` from the no-JavaScript picker,
    parsed with agency_crm.params)."""
    return loggable_contacts().filter(pk=pk).first() if pk else None


def logged_messages_of(user):
    """Messages `user` logged from the inbox (a customer's call they recorded, or our side of it)."""
    return Message.objects.filter(Q(recorded_by=user) | Q(author_user=user, direction=Message.Direction.FROM_US))


def joined_log(*, pk: int | None, user) -> Message | None:
    """The message `user` just logged (`?logged=<id>` after the quick log) when it joined a
    conversation that already had messages, with that conversation and its contact; else None.
    One query."""
    if not pk:
        return None
    earlier = Message.objects.filter(conversation_id=OuterRef("conversation_id")).exclude(pk=OuterRef("pk"))
    return (
        logged_messages_of(user)
        .filter(
            pk=pk, conversation__status__in=[Conversation.Status.WAITING_ON_US, Conversation.Status.WAITING_ON_CUSTOMER]
        )
        .filter(Exists(earlier))
        .select_related("conversation__contact")
        .first()
    )


@dataclass
class ContactMatches:
    query: str
    contacts: list[Contact]
    more: bool  # there were more than `contacts` matches


class IdAmong(Func):
    """`id = ANY(ARRAY(subquery))`: the subquery's ids are collected first (an InitPlan) and the
    rows read by primary key. With `id IN (subquery)` PostgreSQL hash-joined the matches against
    every contact (a full scan of the table: 10 ms at 100,000 contacts, whatever the matches)."""

    output_field = BooleanField()

    def __init__(self, subquery):
        super().__init__(F("pk"), subquery)

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        return f"{column} = ANY(ARRAY{ids})", (*column_params, *ids_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids, ids_params = compiler.compile(self.source_expressions[1])
        return f"{column} IN {ids}", (*column_params, *ids_params)


def _contacts_matching(term: str):
    """Ids of contacts with `term` in their name, email or phone, or whose client's name holds it:
    a UNION of index-served searches (clients.search.text_filter: trigram and bigram indexes), so
    a common word never scans every contact."""
    contacts = Contact.objects.order_by()
    if indexed_per_field(term):
        # One branch per field, each served by that field's own trigram or bigram index: with
        # the three fields ORed in one condition PostgreSQL read every contact instead ("Smith",
        # 4% of 100,000 contacts: 46 ms scanning against 10 ms through the indexes).
        ids = text_filter(contacts, ["name"], term).values("pk")
        for field in ("email", "phone"):
            ids = ids.union(text_filter(contacts, [field], term).values("pk"))
    else:  # one character, or punctuation: the full-text index covers the three fields together
        ids = text_filter(contacts, ["name", "email", "phone"], term).values("pk")
    clients = text_filter(Client.objects.order_by(), ["name"], term, exhaustive=True).values("pk")
    ids = ids.union(contacts.filter(client__in=clients).values("pk"))
    by_digits = phone_digits_match(term)  # 01012345678 finds 010-1234-5678
    if by_digits is not None:
        ids = ids.union(contacts.filter(by_digits).values("pk"))
    return ids


def contact_picker_search(*, query: str, limit: int = CONTACT_PICKER_LIMIT) -> ContactMatches:
    """Loggable contacts matching every word of `query` in the contact's name, email or phone or
    in their client's name, as substrings (so "하늘" finds "김하늘"; a word of one character alone
    matches word beginnings, "김" finds "김하늘"); at most `limit`, in one query.

    Each word is looked up through the search indexes of contacts and of clients (a UNION per
    word), so the cost follows the matches, not the number of contacts (see README, Benchmarks).
    """
    query = " ".join(clean_text(query, max_length=100).split())
    terms = list(dict.fromkeys(query.split()))[:CONTACT_PICKER_MAX_TERMS]
    if not terms:
        return ContactMatches(query=query, contacts=[], more=False)
    matching = _contacts_matching(terms[0])
    for term in terms[1:]:
        matching = matching.intersection(_contacts_matching(term))
    queryset = loggable_contacts().filter(IdAmong(Subquery(matching)))
    found = list(queryset.order_by("client__name", "name", "id")[: limit + 1])
    return ContactMatches(query=query, contacts=found[:limit], more=len(found) > limit)


def staff_choices():
    return list(get_user_model().objects.filter(is_active=True).order_by("first_name", "username"))


def inbox_conversations(*, user, filters: InboxFilters):
    """Conversations waiting on us, overdue first, then by due time, as INBOX_ROW_VALUES (one query).

    Overdue rows have the earliest due times, so ordering by reply_due_at puts them first.
    """
    queryset = (
        Conversation.objects.filter(status=Conversation.Status.WAITING_ON_US)
        .order_by(F("reply_due_at").asc(nulls_last=True), "id")
        .values(*INBOX_ROW_VALUES)
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


def clock_reader() -> Callable[..., ClockState | None]:
    """`clock(tier, awaiting_since, reply_due_at, channel="")`: the clock of a wait of a client of
    that tier in a conversation of that channel, measured now. The agency's calendar, its dated
    days and the response policies are read once (three queries), for a page of waits or for one."""
    agency = load_calendar()
    policies = list(ResponsePolicy.objects.all())
    now = timezone.now()

    def clock(
        tier: str, awaiting_since: dt.datetime | None, reply_due_at: dt.datetime | None, channel: str = ""
    ) -> ClockState | None:
        calendar = clock_calendar(ResponsePolicy.for_tier(tier, policies, channel), agency)
        return clock_between(awaiting_since, reply_due_at, calendar, now)

    return clock


def clock_between(
    awaiting_since: dt.datetime | None, reply_due_at: dt.datetime | None, calendar: Calendar, now: dt.datetime
) -> ClockState | None:
    """The clock of a wait that started at `awaiting_since` and is due at `reply_due_at`, now."""
    if awaiting_since is None or reply_due_at is None:
        return None
    waited = business_seconds_between(awaiting_since, now, calendar)
    overdue = now > reply_due_at
    if overdue:
        left = -business_seconds_between(reply_due_at, now, calendar)
    else:
        left = business_seconds_between(now, reply_due_at, calendar)
    return ClockState(waiting_business_seconds=waited, left_business_seconds=left, overdue=overdue)


def conversation_list(*, status: str = ""):
    # A merged conversation's tombstone is listed nowhere: its thread is in the target.
    queryset = (
        Conversation.objects.filter(merged_into__isnull=True)
        .select_related("client", "contact", "owner")
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )
    if status in Conversation.Status.values:
        queryset = queryset.filter(status=status)
    return queryset


def conversation_detail(*, pk: int):
    """The conversation with its notes, topics and its client's contacts (the composer's To) (four
    queries); its messages and waits come from conversation_thread."""
    return Conversation.objects.select_related("client", "contact", "owner").prefetch_related(
        Prefetch("client__contacts", queryset=Contact.objects.order_by("name", "id")),
        Prefetch("notes", queryset=InternalNote.objects.select_related("author")),
        "tags",
    )


# A long conversation opens on its newest messages and waits; the earlier ones are one click away.
THREAD_NEWEST = 25
WAITS_NEWEST = 10


@dataclass
class Thread:
    messages: list[Message]  # in time order
    earlier: int  # older messages not in `messages` (0 when the whole thread is there)
    latest_id: int  # the highest message id of the whole thread (the composer's `seen`)
    waits: list[ResponseWait]  # the response history, in time order
    earlier_waits: int


def conversation_thread(*, conversation: Conversation, whole: bool = False) -> Thread:
    """The conversation's newest THREAD_NEWEST messages and WAITS_NEWEST waits in time order, or
    all of them with `whole`: two queries, and a count for each list that has earlier rows."""
    messages = conversation.messages.select_related("author_user", "author_contact")
    waits = conversation.waits.select_related("no_reply_decision__decided_by")
    message_list, earlier, aggregates = _newest(
        messages, ("occurred_at", "id"), None if whole else THREAD_NEWEST, latest=Max("id")
    )
    wait_list, earlier_waits, _ = _newest(waits, ("started_at", "id"), None if whole else WAITS_NEWEST)
    latest_id = aggregates["latest"] if earlier else max((m.pk for m in message_list), default=0)
    return Thread(
        messages=message_list, earlier=earlier, latest_id=latest_id, waits=wait_list, earlier_waits=earlier_waits
    )


def _newest(queryset, order: tuple[str, ...], limit: int | None, **aggregates) -> tuple[list, int, dict]:
    """The newest `limit` rows of `queryset` (all when None) in ascending `order`, how many older
    rows were left out, and `aggregates` over every row (computed only when some were left out)."""
    if limit is None:
        return list(queryset.order_by(*order)), 0, {}
    newest = list(queryset.order_by(*(f"-{field}" for field in order))[: limit + 1])
    if len(newest) <= limit:
        return newest[::-1], 0, {}
    totals = queryset.order_by().aggregate(_count=Count("id"), **aggregates)
    return newest[:limit][::-1], totals.pop("_count") - limit, totals


def replies_since(*, conversation: Conversation, message_id: int, user) -> list[Message]:
    """Our replies in `conversation` after message `message_id` that someone other than `user`
    wrote (the composer asks before sending over them)."""
    return list(
        Message.objects.filter(conversation=conversation, pk__gt=message_id, direction=Message.Direction.FROM_US)
        .exclude(author_user=user)
        .select_related("author_user")
        .order_by("id")
    )


# The merge picker lists at most this many of the client's other conversations, newest first.
MERGE_CHOICES_LIMIT = 50


def merge_choices(*, conversation: Conversation) -> list[Conversation]:
    """The client's other live conversations `conversation` may be merged into, the most recently
    active first, with their contact and owner (one query)."""
    return list(
        Conversation.objects.filter(client_id=conversation.client_id, merged_into__isnull=True)
        .exclude(pk=conversation.pk)
        .select_related("contact", "owner")
        .annotate(message_count=Count("messages"))
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")[:MERGE_CHOICES_LIMIT]
    )


def thread_moves(*, conversation: Conversation) -> list[ThreadMove]:
    """The conversation's merges and moved-out messages, oldest first, with who did them and the
    other conversation (one query)."""
    return list(
        ThreadMove.objects.filter(Q(source=conversation) | Q(target=conversation))
        .select_related("source", "target", "moved_by")
        .order_by("moved_at", "id")
    )
