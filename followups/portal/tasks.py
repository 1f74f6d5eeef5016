"""The self-service page's queued work: the magic-link request, done after the page answered.

/my/ queues this for every valid address, known or not, and answers at once, so neither what
the page says nor how long it takes tells which addresses are our customers'.
"""

from celery import shared_task

from .services import portal_link_request


@shared_task(name="followups.portal.portal_link_request")
def portal_link_request_task(email: str) -> int:
    """Email a link to each contact with this address (how many: for the worker's log only)."""
    return portal_link_request(email=email)
