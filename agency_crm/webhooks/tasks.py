"""Webhook tasks: thin wrappers that take ids and call agency_crm.webhooks.services."""

from celery import shared_task

from . import services


@shared_task(name=services.DELIVER_TASK)
def webhooks_deliver(endpoint_id: int) -> int:
    """Deliver an endpoint's due deliveries in order; queue the next run when its head waits."""
    done, again_in = services.webhook_endpoint_deliver(endpoint_id=endpoint_id)
    if again_in is not None:
        try:
            webhooks_deliver.apply_async((endpoint_id,), countdown=again_in)
        except Exception:  # broker trouble: the sweep queues the endpoint when its head is due
            services.delivery.logger.warning("webhooks: could not queue endpoint %s", endpoint_id, exc_info=True)
    return done


@shared_task(name="agency_crm.webhooks.tasks.webhooks_sweep")
def webhooks_sweep() -> int:
    """Beat runs this every minute: recover dead workers' claims, queue every endpoint whose head
    is due. Queuing an endpoint twice is harmless: each run claims before it sends."""
    services.webhooks_release_stale_claims()
    ids = services.webhooks_due_endpoint_ids()
    for endpoint_id in ids:
        webhooks_deliver.delay(endpoint_id)
    return len(ids)
