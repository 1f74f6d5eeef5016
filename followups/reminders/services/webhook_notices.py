"""A notice to an endpoint's owner and every manager when outgoing webhooks disable it.

Registered with `agency_crm.webhooks.hooks` in FollowupsConfig.ready(). A receiver that answered
410 Gone, or failed for three days, gets nothing more until someone turns it back on; whoever
relies on it (a billing sync, a chat tool) must hear of it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from agency_crm.roles import active_managers

from ..models import Notification
from .notifications import notify

WEBHOOK_DISABLED_KIND = "webhook.disabled"


def notify_webhook_disabled(endpoint) -> list[Notification]:
    """In the bell, and in the next batched email (the mail server is not what failed)."""
    return notify(
        recipients=[endpoint.created_by, *active_managers()],
        kind=WEBHOOK_DISABLED_KIND,
        title=gettext_noop("Webhooks to %(url)s were turned off: the receiver kept failing"),
        params={"url": endpoint.url},
        body=endpoint.disabled_reason,
        url=reverse("webhooks:detail", args=[endpoint.pk]),
    )
