from celery import shared_task

from . import services

# The outbox's tasks live in agency_crm/outbox/tasks.py; importing them here registers them
# with the worker (autodiscovery only imports <app>.tasks).
from .outbox.tasks import deliver_email, sweep_outbox  # noqa: F401
from .webhooks.tasks import webhooks_deliver, webhooks_sweep  # noqa: F401


@shared_task(name="agency_crm.tasks.worker_heartbeat")
def worker_heartbeat(name: str = "default") -> str:
    """Beat runs this every minute; /healthz reports how long ago a worker last did."""
    beat = services.heartbeat_record(name=name)
    return beat.last_seen_at.isoformat()
