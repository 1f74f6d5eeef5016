"""Inbound email tasks: thin wrappers that call followups.mailin / services_mailin."""

from celery import shared_task
from django.conf import settings


@shared_task(name="followups.tasks_mailin.mailin_poll")
def mailin_poll(limit: int = 200) -> dict:
    """Beat runs this every IMAP_POLL_SECONDS when IMAP_HOST is set (idempotent)."""
    if not settings.IMAP_HOST:
        return {"skipped": "IMAP_HOST is not set"}
    from .imap import mailbox_poll

    return mailbox_poll(limit=limit).as_dict()
