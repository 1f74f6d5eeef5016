"""Pipeline tasks: thin wrappers that call followups.services_proposals."""

from celery import shared_task

from . import services as services_proposals


@shared_task(name="followups.tasks_proposals.proposals_accepted_notify")
def proposals_accepted_notify() -> int:
    """Beat runs this every minute: announce newly accepted proposals to their owners, once."""
    return services_proposals.proposals_accepted_notify()
