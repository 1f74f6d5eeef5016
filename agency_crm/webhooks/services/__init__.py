"""Webhook services: `events` records an event in the caller's transaction; `delivery` sends an
endpoint's line in order, retries and gives up; `endpoints` is what managers do on
/settings/webhooks/. Import them from here."""

from .delivery import (
    SECRET_PURPOSE,
    delivery_attempt,
    delivery_claim_next,
    endpoint_disable,
    endpoint_secrets,
    retry_delay,
    webhook_endpoint_deliver,
    webhooks_due_endpoint_ids,
    webhooks_release_stale_claims,
)
from .endpoints import (
    EVENT_CHOICES,
    delivery_redeliver,
    endpoint_create,
    endpoint_delete,
    endpoint_enable,
    endpoint_ping,
    endpoint_rotate_secret,
    endpoint_update,
)
from .events import DELIVER_TASK, endpoint_schedule, webhook_event_emit

__all__ = [
    "DELIVER_TASK",
    "EVENT_CHOICES",
    "SECRET_PURPOSE",
    "delivery_attempt",
    "delivery_claim_next",
    "delivery_redeliver",
    "endpoint_create",
    "endpoint_delete",
    "endpoint_disable",
    "endpoint_enable",
    "endpoint_ping",
    "endpoint_rotate_secret",
    "endpoint_schedule",
    "endpoint_secrets",
    "endpoint_update",
    "retry_delay",
    "webhook_endpoint_deliver",
    "webhook_event_emit",
    "webhooks_due_endpoint_ids",
    "webhooks_release_stale_claims",
]
