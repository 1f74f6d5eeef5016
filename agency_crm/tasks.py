from celery import shared_task

from . import services


@shared_task(name="agency_crm.tasks.worker_heartbeat")
def worker_heartbeat(name: str = "default") -> str:
    """Beat runs this every minute; /healthz reports how long ago a worker last did."""
    beat = services.heartbeat_record(name=name)
    return beat.last_seen_at.isoformat()
