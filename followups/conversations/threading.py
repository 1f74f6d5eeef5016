"""Headers that make a staff email reply thread back to its conversation.

Used by every email we write in a conversation (a reply, an acknowledgement, a check-in, a
feedback request): it answers the customer's latest email (In-Reply-To, References per RFC 5322;
`mailin` finds that email through `hooks.thread_parent`), carries the reply token in the subject,
and asks for replies at the plus-address holding the same token.
"""

from __future__ import annotations

from agency_crm.outbox.models import OutboundEmail

from . import hooks
from .models import Conversation
from .tokens import reply_address, subject_with_token

MAX_REFERENCES = 20


def reply_threading(*, conversation: Conversation, subject: str) -> dict:
    """Keyword arguments for outbox_enqueue: subject, reply_to, in_reply_to, references."""
    parent = hooks.thread_parent(conversation)
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
