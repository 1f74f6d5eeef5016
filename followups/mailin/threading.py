"""Which customer email our next email in a conversation answers (registered with
`followups.conversations.hooks.on_thread_parent`)."""

from __future__ import annotations

from .models import EmailAcknowledgement, InboundEmail


def latest_customer_email(conversation) -> dict | None:
    """The newest email a person (not an auto-responder) sent into the conversation, as
    {"message_id", "references"}, or None."""
    return (
        InboundEmail.objects.filter(conversation=conversation, automatic_reason="")
        .order_by("-received_at", "-id")
        .values("message_id", "references")
        .first()
    )


def emails_follow_messages(*, source, target, message_ids: list[int], whole: bool) -> None:
    """`hooks.on_moved`: received emails (and so their files) follow their conversation's
    messages, so the target's email panel lists them and our next email there answers them. A
    merge also moves the automatic replies and bounces, and the day's acknowledgement where the
    target has none that day (ack_once_per_conversation_day)."""
    emails = InboundEmail.objects.filter(conversation=source)
    if not whole:
        emails = emails.filter(customer_message_id__in=message_ids)
    emails.update(conversation=target)
    if whole:
        taken = EmailAcknowledgement.objects.filter(conversation=target).values("day")
        EmailAcknowledgement.objects.filter(conversation=source).exclude(day__in=taken).update(conversation=target)
