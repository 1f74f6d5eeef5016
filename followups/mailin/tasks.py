"""Inbound email tasks: thin wrappers that call followups.mailin."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="followups.tasks_mailin.mailin_poll")
def mailin_poll(limit: int = 200, when_due: bool = False) -> dict:
    """Read the mailbox (the one connected on /settings/mailbox/, else IMAP_*); idempotent.

    Beat calls it every few seconds with `when_due`, and it reads the mailbox once the mailbox's
    poll interval has passed since the last poll."""
    from .imap import mailbox_poll
    from .mailbox import mailbox_config, mailbox_poll_due

    if mailbox_config() is None:
        return {"skipped": "no mailbox is connected"}
    if when_due and not mailbox_poll_due(now=timezone.now()):
        return {"skipped": "not due"}
    return mailbox_poll(limit=limit).as_dict()
