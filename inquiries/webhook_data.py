"""The `data` of the webhook events about inquiries and proposals (agency_crm.webhooks): the field
names a REST serializer gives them, integer ids, decimals as strings, ISO 8601 dates and times."""

from __future__ import annotations

from agency_crm.webhooks import iso, webhook_event_emit

from .models import Inquiry, Proposal


def _money(value) -> str | None:
    return None if value is None else str(value)


def inquiry_webhook_data(inquiry: Inquiry) -> dict:
    return {
        "id": inquiry.pk,
        "title": inquiry.title,
        "client": inquiry.client_id,
        "contact": inquiry.contact_id,
        "source": inquiry.source,
        "status": inquiry.status,
        "owner": inquiry.owner_id,
        "budget_min": _money(inquiry.budget_min),
        "budget_max": _money(inquiry.budget_max),
        "deadline": iso(inquiry.deadline),
        "currency": inquiry.currency,
        "accepted_total": _money(inquiry.accepted_total),
        "won_at": iso(inquiry.won_at),
        "delivered_on": iso(inquiry.delivered_on),
        "created_at": iso(inquiry.created_at),
        "updated_at": iso(inquiry.updated_at),
    }


def proposal_webhook_data(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "inquiry": proposal.inquiry_id,
        "number": proposal.number,
        "currency": proposal.snapshot.get("currency", ""),
        "sent_at": iso(proposal.sent_at),
        "sent_by": proposal.sent_by_id,
        "expires_at": iso(proposal.expires_at),
        "accepted_at": iso(proposal.accepted_at),
        "accepted_by_name": proposal.accepted_by_name,
        "accepted_item_ids": list(proposal.accepted_item_ids or []),
        "accepted_total": _money(proposal.accepted_total),
    }


def inquiry_emit_created(inquiry: Inquiry) -> None:
    webhook_event_emit(event_type="inquiry.created", data=inquiry_webhook_data(inquiry))


def inquiry_emit_status_changed(inquiry: Inquiry, *, previous_status: str) -> None:
    webhook_event_emit(
        event_type="inquiry.status_changed",
        data={**inquiry_webhook_data(inquiry), "previous_status": previous_status},
    )


def proposal_emit(event_type: str, proposal: Proposal) -> None:
    """proposal.sent or proposal.accepted."""
    webhook_event_emit(event_type=event_type, data=proposal_webhook_data(proposal))
