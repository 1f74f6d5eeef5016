"""A notice to every manager when the outbox gives up on an internal email.

Registered with `agency_crm.outbox.failures` in FollowupsConfig.ready(). A reminder digest or a
weekly review that never arrives has no client timeline to show on, and the notifications a
digest listed are already marked as emailed; without this notice nobody would know.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from agency_crm.roles import active_managers

from ..models import Notification
from .notifications import notify

EMAIL_FAILED_KIND = "email.failed"


def notify_internal_email_failed(email) -> list[Notification]:
    """Tell every manager, in the bell only: the mail server may be what failed, and an email
    about a failed email could fail the same way."""
    return notify(
        recipients=active_managers(),
        kind=EMAIL_FAILED_KIND,
        title=gettext_noop("An email could not be delivered: %(subject)s (to %(to)s)"),
        params={"subject": email.subject, "to": ", ".join(email.to)},
        body=email.last_error,
        url=reverse("outbox_detail", args=[email.pk]),
        email=False,
    )
