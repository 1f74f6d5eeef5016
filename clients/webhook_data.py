"""The `data` of the webhook events about clients and contacts (agency_crm.webhooks): the field
names a REST serializer gives them, integer ids, ISO 8601 times, and no query of its own."""

from __future__ import annotations

from agency_crm.webhooks import iso, webhook_event_emit

from .models import Client, Contact


def client_webhook_data(client: Client) -> dict:
    return {
        "id": client.pk,
        "name": client.name,
        "kind": client.kind,
        "status": client.status,
        "response_tier": client.response_tier,
        "website": client.website,
        "account_owner": client.account_owner_id,
        "backup_owner": client.backup_owner_id,
        "archived_at": iso(client.archived_at),
        "created_at": iso(client.created_at),
        "updated_at": iso(client.updated_at),
    }


def contact_webhook_data(contact: Contact) -> dict:
    return {
        "id": contact.pk,
        "client": contact.client_id,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "kakao_id": contact.kakao_id,
        "role": contact.role,
        "preferred_language": contact.preferred_language,
        "accepts_checkins": contact.accepts_checkins,
        "created_at": iso(contact.created_at),
    }


def client_emit_created(client: Client) -> None:
    webhook_event_emit(event_type="client.created", data=client_webhook_data(client))


def client_emit_updated(client: Client, *, changed_fields: list[str]) -> None:
    webhook_event_emit(
        event_type="client.updated", data={**client_webhook_data(client), "changed_fields": changed_fields}
    )


def contact_emit_created(contact: Contact) -> None:
    webhook_event_emit(event_type="contact.created", data=contact_webhook_data(contact))
