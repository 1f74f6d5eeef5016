"""Followups' side of the sales pipeline: tell the people who own the work when a customer
accepts a proposal.

`inquiries.services.proposal_accept` runs in the customer's request and may not import
`followups` (a lower app never imports a higher one), so the every-minute beat task
`proposals-accepted-notify` picks accepted proposals up here. Each one is announced once: the
notice row (one per proposal) is inserted in the same transaction as the notifications, so a
second beat, a retried task or a worker killed half-way either finds the row or rolls back.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from inquiries.estimates import format_money
from inquiries.models import Proposal

from ..reminders.services import notify
from .models import ProposalAcceptedNotice

NOTIFICATION_KIND = "proposal_accepted"
# Acceptances older than this when first seen (e.g. the beat was down for weeks) are recorded
# as announced without a notification: news that stale would only be noise.
STALE_AFTER = dt.timedelta(days=14)
BATCH = 200


def proposal_accepted_recipients(proposal: Proposal) -> list:
    """The inquiry's owner, plus the client's account owner when that is someone else."""
    inquiry = proposal.inquiry
    return [user for user in (inquiry.owner, inquiry.client.account_owner) if user is not None]


def proposal_accepted_notify(*, proposal: Proposal, now: dt.datetime | None = None) -> bool:
    """Announce one accepted proposal in the bell (and the batched email), once. Returns whether
    this call sent the notifications (False: announced already, not accepted, or stale)."""
    now = now or timezone.now()
    if proposal.accepted_at is None:
        return False
    inquiry = proposal.inquiry
    try:
        with transaction.atomic():
            # The primary key makes this the claim: a concurrent run blocks here until we commit,
            # then fails and rolls back its own notifications.
            ProposalAcceptedNotice.objects.create(proposal=proposal, notified_at=now)
            if now - proposal.accepted_at > STALE_AFTER:
                return False
            currency = proposal.snapshot.get("currency", "")
            total = format_money(proposal.accepted_total, currency) if currency else str(proposal.accepted_total)
            wants = len(proposal.accepted_item_ids or [])
            notify(
                recipients=proposal_accepted_recipients(proposal),
                kind=NOTIFICATION_KIND,
                title=gettext_noop("%(name)s accepted proposal v%(number)s for %(title)s (%(total)s)"),
                params={
                    "name": proposal.accepted_by_name,
                    "number": proposal.number,
                    "title": inquiry.title,
                    "total": total,
                },
                body=(
                    gettext_noop("Client: %(client)s. They chose the Car plus %(wants)s of the offered wants.")
                    if wants
                    else gettext_noop("Client: %(client)s. They chose the Car (the needs only).")
                ),
                body_params={"client": inquiry.client.name, "wants": wants},
                url=inquiry.get_absolute_url(),
            )
    except IntegrityError:
        return False
    return True


def proposals_accepted_pending():
    """Accepted proposals not yet announced (the partial unique index of accepted proposals,
    `proposal_accepted_once_per_inquiry`, holds exactly those rows)."""
    return (
        Proposal.objects.filter(accepted_at__isnull=False)
        .filter(~Exists(ProposalAcceptedNotice.objects.filter(proposal=OuterRef("pk"))))
        .select_related("inquiry__client__account_owner", "inquiry__owner")
        .order_by("accepted_at", "pk")
    )


def proposals_accepted_notify(*, now: dt.datetime | None = None) -> int:
    """The beat run: announce every accepted proposal not announced yet. Returns how many were."""
    count = 0
    for proposal in list(proposals_accepted_pending()[:BATCH]):
        count += proposal_accepted_notify(proposal=proposal, now=now)
    return count
