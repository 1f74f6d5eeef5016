"""Outbox tasks: thin wrappers that take ids and call agency_crm.outbox.services."""

from celery import shared_task

from . import services


@shared_task(name=services.DELIVER_TASK)
def deliver_email(email_id: int) -> str:
    """Deliver one outbox row; on a temporary failure, queue the next attempt with backoff."""
    outcome, retry_in = services.outbox_deliver(email_id=email_id)
    if outcome == "retry":
        # The row is pending again with next_attempt_at set; if this message is lost, the
        # sweep picks the row up once it is due.
        try:
            deliver_email.apply_async((email_id,), countdown=retry_in)
        except Exception:  # broker trouble: the sweep is the safety net
            services.logger.warning("outbox: could not queue retry of %s", email_id, exc_info=True)
    return outcome


@shared_task(name="agency_crm.outbox.tasks.sweep_outbox")
def sweep_outbox(limit: int = 500) -> int:
    """Beat runs this every minute: recover rows of dead workers and queue every due row.

    Queuing a row twice is harmless: each delivery first claims the row, and one claim wins.
    """
    services.outbox_release_stale_claims()
    ids = services.outbox_due_ids(limit=limit)
    for email_id in ids:
        deliver_email.delay(email_id)
    return len(ids)
