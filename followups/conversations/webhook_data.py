"""The `data` of the webhook events about conversations, messages and waits
(agency_crm.webhooks): the field names a REST serializer gives them, integer ids, ISO 8601 times.
Every customer message goes through `message_receive`, so message.received is emitted there, for
every channel (email, the contact form, the self-service page, a logged call or KakaoTalk)."""

from __future__ import annotations

from agency_crm.webhooks import iso, webhook_event_emit

from .models import Conversation, Message, ResponseWait


def conversation_webhook_data(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "client": conversation.client_id,
        "contact": conversation.contact_id,
        "subject": conversation.subject,
        "channel": conversation.channel,
        "status": conversation.status,
        "owner": conversation.owner_id,
        "awaiting_since": iso(conversation.awaiting_since),
        "reply_due_at": iso(conversation.reply_due_at),
        "last_message_at": iso(conversation.last_message_at),
        "created_at": iso(conversation.created_at),
    }


def message_webhook_data(message: Message) -> dict:
    conversation = message.conversation
    return {
        "id": message.pk,
        "conversation": conversation.pk,
        "client": conversation.client_id,
        "direction": message.direction,
        "channel": message.channel,
        "author_user": message.author_user_id,
        "author_contact": message.author_contact_id,
        "body": message.body,
        "sender_unverified": message.sender_unverified,
        "occurred_at": iso(message.occurred_at),
        "recorded_at": iso(message.recorded_at),
        "conversation_status": conversation.status,
        "reply_due_at": iso(conversation.reply_due_at),
    }


def wait_webhook_data(wait: ResponseWait) -> dict:
    conversation = wait.conversation
    return {
        "id": wait.pk,
        "conversation": conversation.pk,
        "client": conversation.client_id,
        "owner": conversation.owner_id,
        "started_by": wait.started_by_id,
        "started_at": iso(wait.started_at),
        "reply_due_at": iso(wait.reply_due_at),
        "target_minutes": wait.target_minutes,
    }


def message_emit(message: Message) -> None:
    """message.received for a customer's message, message.sent for ours."""
    event_type = "message.received" if message.direction == Message.Direction.FROM_CUSTOMER else "message.sent"
    webhook_event_emit(event_type=event_type, data=message_webhook_data(message), occurred_at=message.recorded_at)


def conversation_emit_assigned(conversation: Conversation, *, previous_owner_id: int | None) -> None:
    webhook_event_emit(
        event_type="conversation.assigned",
        data={**conversation_webhook_data(conversation), "previous_owner": previous_owner_id},
    )


def wait_emit_breached(wait: ResponseWait) -> None:
    webhook_event_emit(event_type="wait.breached", data=wait_webhook_data(wait))
