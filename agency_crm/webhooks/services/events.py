"""Emitting an event: one WebhookEvent and one delivery per endpoint that wants it, written in
the caller's transaction; the endpoints' delivery tasks are queued after the commit."""

from __future__ import annotations

import logging
import secrets

from celery import current_app
from django.db import transaction
from django.utils import timezone

from ..models import EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

# By name: the tasks module imports these services, never the reverse.
DELIVER_TASK = "agency_crm.webhooks.tasks.webhooks_deliver"
KNOWN_TYPES = frozenset(EventType.values)


def event_id_new() -> str:
    return "msg_" + secrets.token_hex(12)


def endpoint_schedule(*, endpoint_id: int, countdown: float | None = None) -> None:
    """Queue delivery of an endpoint's line once the current transaction commits. If the broker
    is down the deliveries stay pending and the sweep queues them later."""

    def publish():
        try:
            current_app.send_task(DELIVER_TASK, args=(endpoint_id,), countdown=countdown)
        except Exception:  # any broker failure: the sweep is the safety net
            logger.warning("webhooks: could not queue endpoint %s; the sweep will", endpoint_id, exc_info=True)

    transaction.on_commit(publish)


def webhook_event_emit(
    *, event_type: str, data: dict, occurred_at=None, endpoints: list[WebhookEndpoint] | None = None
) -> WebhookEvent | None:
    """Record that `event_type` happened with `data` (snake_case fields, integer ids, ISO 8601
    times, built by the emitting app) for every active endpoint that wants it; None when no
    endpoint does. Call it inside the transaction of the change: the event goes out only if the
    change commits. `endpoints` limits it to those (a ping)."""
    if event_type not in KNOWN_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    if endpoints is None:
        # One query; an agency has a handful of endpoints, so filtering their events in Python
        # is cheaper than a JSON containment index.
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True).only("pk", "events"))
    wanted = [endpoint for endpoint in endpoints if endpoint.is_active and endpoint.wants(event_type)]
    if not wanted:
        return None
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            public_id=event_id_new(), type=event_type, data=data, created_at=occurred_at or timezone.now()
        )
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=timezone.now()) for endpoint in wanted]
        )
        for endpoint in wanted:
            endpoint_schedule(endpoint_id=endpoint.pk)
    return event
