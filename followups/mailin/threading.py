"""Headers that make a staff email reply thread back to its conversation.

Used by followups.services.conversations.conversation_reply (and the acknowledgement): the reply
answers the customer's latest email (In-Reply-To, References per RFC 5322), carries the reply
token in the subject, and asks for replies at the plus-address holding the same token.
"""

from __future__ import annotations

from agency_crm.outbox.models import OutboundEmail

from ..models import Conversation
from ..models_mailin import InboundEmail
from .tokens import reply_address, subject_with_token

MAX_REFERENCES = 20


def reply_threading(*, conversation: Conversation, subject: str) -> dict:
    """Keyword arguments for outbox_enqueue: subject, reply_to, in_reply_to, references."""
    parent = (
        InboundEmail.objects.filter(conversation=conversation, automatic_reason="")
        .order_by("-received_at", "-id")
        .values("message_id", "references")
        .first()
    )
    if parent is not None:
        references = [*parent["references"], parent["message_id"]]
        in_reply_to = parent["message_id"]
    else:
        # We wrote first: thread our own earlier emails of this conversation.
        references = list(
            OutboundEmail.objects.filter(related__conversation_id=conversation.pk)
            .order_by("created_at", "id")
            .values_list("message_id", flat=True)
        )
        in_reply_to = references[-1] if references else ""
    return {
        "subject": subject_with_token(subject, conversation.pk),
        "reply_to": reply_address(conversation.pk),
        "in_reply_to": in_reply_to,
        "references": references[-MAX_REFERENCES:],
    }
