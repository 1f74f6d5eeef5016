"""The inbox's rows: everything a row shows, computed in one pass over the page's conversations.

A row says the same few words fifty times a page (the clock's, the channel's, "Unknown contact")
and formats two moments; doing that here, once per page for each word and once per row for each
moment, keeps the template to printing values (the inbox rendered its rows through template
filters at about 60 µs a row; README, Benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.people import display_name
from agency_crm.templatetags.people_tags import iso_moment, long_moment
from clients.models import Client

from .clock_words import ClockWords
from .models import Channel
from .selectors import ClockState, clock_reader

# A colleague's name parts as agency_crm.people.display_name reads them from a stored person.
OWNER_NAME_PARTS = (("first", "first_name"), ("last", "last_name"), ("username", "username"))


@dataclass(slots=True)
class InboxRow:
    pk: int
    clock: ClockState | None
    client: str
    contact: str
    subject: str
    channel: str
    channel_label: str
    sender_unverified: bool
    owner: str
    badge: str  # "Overdue by 2h 05m" / "2h 05m left"
    waited: str  # "waiting 1h 10m (business)"
    due_iso: str  # for <time datetime>
    due: str  # in the reader's format


def inbox_rows(conversations: list[dict]) -> list[InboxRow]:
    """One row per conversation read with selectors.INBOX_ROW_VALUES, its clock measured now; three
    queries (selectors.clock_reader)."""
    clock_of = clock_reader()
    words = ClockWords()
    channel_labels = {channel.value: str(channel.label) for channel in Channel}
    unknown_contact = _("Unknown contact")
    rows = []
    for values in conversations:
        clock = clock_of(
            values["client__response_tier"], values["awaiting_since"], values["reply_due_at"], values["channel"]
        )
        due = timezone.localtime(values["reply_due_at"]) if values["reply_due_at"] else None
        owner = None
        if values["owner__username"] is not None:
            owner = {key: values[f"owner__{field}"] for key, field in OWNER_NAME_PARTS}
        rows.append(
            InboxRow(
                pk=values["pk"],
                clock=clock,
                client=Client.label_of(values["client__name"], is_placeholder=values["client__is_placeholder"]),
                contact=values["contact__name"] or unknown_contact,
                subject=values["subject"],
                channel=values["channel"],
                channel_label=channel_labels.get(values["channel"], values["channel"]),
                sender_unverified=values["sender_unverified"],
                owner=display_name(owner, "—"),
                badge=words.badge(clock),
                waited=words.waited(clock),
                due_iso=iso_moment(due),
                due=long_moment(due),
            )
        )
    return rows
