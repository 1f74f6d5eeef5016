"""The `data` of the webhook events of post-sale care (agency_crm.webhooks): check-ins and
feedback, with the field names a REST serializer gives them, integer ids, ISO 8601 dates."""

from __future__ import annotations

from agency_crm.webhooks import iso, webhook_event_emit

from .models import Checkin, FeedbackRequest


def checkin_webhook_data(checkin: Checkin) -> dict:
    return {
        "id": checkin.pk,
        "client": checkin.client_id,
        "contact": checkin.contact_id,
        "owner": checkin.owner_id,
        "sequence": checkin.sequence,
        "channel": checkin.channel,
        "due_on": iso(checkin.due_on),
        "status": checkin.status,
        "conversation": checkin.conversation_id,
    }


def feedback_webhook_data(feedback: FeedbackRequest) -> dict:
    return {
        "id": feedback.pk,
        "source": feedback.source,
        "client": feedback.client_id,
        "contact": feedback.contact_id,
        "conversation": feedback.conversation_id,
        "checkin": feedback.checkin_id,
        "owner": feedback.owner_id,
        "rating": feedback.rating,
        "comment": feedback.comment,
        "rated_at": iso(feedback.rated_at),
        "updated_at": iso(feedback.updated_at),
        "created_at": iso(feedback.created_at),
    }


def checkin_emit_due(checkin_id: int, *, outcome: str) -> None:
    """checkin.due, once per check-in, with how it is handled ("emailed", "call_task", "notified")."""
    checkin = Checkin.objects.get(pk=checkin_id)
    webhook_event_emit(event_type="checkin.due", data={**checkin_webhook_data(checkin), "handled_as": outcome})


def feedback_emit_received(feedback: FeedbackRequest, *, is_change: bool) -> None:
    webhook_event_emit(event_type="feedback.received", data={**feedback_webhook_data(feedback), "is_change": is_change})
