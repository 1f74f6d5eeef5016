"""What a contact sees on the self-service page: their client's records, in a fixed number of
queries whatever their count (tests/followups/test_portal_views.py asserts it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from clients.models import Contact
from inquiries.models import Proposal

from ..care.feedback import rating_ask_filter
from ..care.links import feedback_url
from ..care.models import Checkin, FeedbackRequest
from ..conversations.models import Conversation, Message

RECENT = dt.timedelta(days=90)
MAX_CONVERSATIONS = 20
MAX_MESSAGES = 50


@dataclass
class PortalOverview:
    contact: Contact
    owner: object
    conversations: list[Conversation] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    checkins: list[Checkin] = field(default_factory=list)
    feedback: list[tuple[FeedbackRequest, str]] = field(default_factory=list)


def portal_conversations(contact: Contact):
    """Open conversations of the contact's client and those active in the last 90 days."""
    since = timezone.now() - RECENT
    # A merged conversation's tombstone is not shown: its messages are in the one it became.
    open_or_recent = Conversation.objects.filter(client_id=contact.client_id, merged_into__isnull=True).exclude(
        status=Conversation.Status.CLOSED, last_message_at__lt=since
    )
    messages = Message.objects.select_related("author_user", "author_contact").order_by("occurred_at", "id")
    return open_or_recent.prefetch_related(Prefetch("messages", queryset=messages, to_attr="portal_messages"))


def portal_overview(contact: Contact) -> PortalOverview:
    client = contact.client
    today = timezone.localdate()
    conversations = list(portal_conversations(contact).order_by("-last_message_at", "-id")[:MAX_CONVERSATIONS])
    for conversation in conversations:
        conversation.portal_messages = conversation.portal_messages[-MAX_MESSAGES:]
    proposals = list(
        Proposal.objects.filter(inquiry__client_id=client.pk).select_related("inquiry").order_by("-sent_at", "-id")[:20]
    )
    checkins = list(
        Checkin.objects.filter(client_id=client.pk, status__in=Checkin.OPEN_STATUSES, due_on__gte=today).order_by(
            "due_on", "id"
        )[:5]
    )
    pending = (
        FeedbackRequest.objects.select_related("conversation")
        .filter(client_id=client.pk, rating="", created_at__gte=timezone.now() - RECENT)
        .filter(rating_ask_filter())  # only once we answered or a check-in happened
        .order_by("-created_at", "-id")[:5]
    )
    return PortalOverview(
        contact=contact,
        owner=client.account_owner,
        conversations=conversations,
        proposals=proposals,
        checkins=checkins,
        feedback=[(request, feedback_url(request)) for request in pending],
    )
