"""A referral won is thanked: when an inquiry its referrer sent us is won, the referring client's
account owner gets a task to thank them ("win new customers through the ones we have").

Registered on `inquiries.hooks.on_won`, so it runs inside the transaction that makes the inquiry
won (staff changing the status, or the customer accepting a proposal online). The task is the
owner's to edit like any other, so its title is written once, in the owner's language.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from agency_crm.preferences.services import for_person
from inquiries.models import Inquiry

from ..care.dates import local_today
from ..todo.services import task_suggest

# A thank-you is best sent while the news is fresh, but not within the hour.
THANK_WITHIN_DAYS = 2


def referral_thank_you_suggest(*, inquiry: Inquiry, actor=None) -> None:
    referrer = inquiry.referred_by or inquiry.client.referred_by
    if referrer is None or referrer.account_owner is None or not referrer.account_owner.is_active:
        return
    with for_person(referrer.account_owner):
        title = _("Thank %(referrer)s for referring %(client)s") % {
            "referrer": referrer.name,
            "client": inquiry.client.name,
        }
    task_suggest(
        assignee=referrer.account_owner,
        title=title,
        attached_to=referrer,
        due_on=local_today() + dt.timedelta(days=THANK_WITHIN_DAYS),
    )
