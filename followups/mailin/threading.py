"""Which customer email our next email in a conversation answers (registered with
`followups.conversations.hooks.on_thread_parent`)."""

from __future__ import annotations

from .models import InboundEmail


def latest_customer_email(conversation) -> dict | None:
    """The newest email a person (not an auto-responder) sent into the conversation, as
    {"message_id", "references"}, or None."""
    return (
        InboundEmail.objects.filter(conversation=conversation, automatic_reason="")
        .order_by("-received_at", "-id")
        .values("message_id", "references")
        .first()
    )
