"""Outbox services: `compose` writes an email in the caller's transaction and queues it;
`delivery` sends it over SMTP, retries it and sweeps. Import them from here."""

from .compose import (
    DELIVER_TASK,
    attachment_filename,
    email_render,
    outbox_check_attachments,
    outbox_enqueue,
    outbox_enqueue_rendered,
    outbox_enqueue_transport,
    outbox_personal,
    outbox_render,
    outbox_schedule_delivery,
)
from .delivery import (
    PermanentDeliveryError,
    TemporaryDeliveryError,
    logger,
    outbox_claim,
    outbox_deliver,
    outbox_due_ids,
    outbox_release_stale_claims,
    outbox_retry,
)

__all__ = [
    "DELIVER_TASK",
    "PermanentDeliveryError",
    "TemporaryDeliveryError",
    "attachment_filename",
    "email_render",
    "outbox_check_attachments",
    "outbox_personal",
    "outbox_render",
    "logger",
    "outbox_claim",
    "outbox_deliver",
    "outbox_due_ids",
    "outbox_enqueue",
    "outbox_enqueue_rendered",
    "outbox_enqueue_transport",
    "outbox_release_stale_claims",
    "outbox_retry",
    "outbox_schedule_delivery",
]
