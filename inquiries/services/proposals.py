"""Proposals: freeze the scope into a versioned snapshot, send it by a signed link, accept it online."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm.outbox.notices import PROPOSAL_SENT, customer_notice
from agency_crm.people import display_name
from clients.timeline import timeline_record

from .. import estimates, hooks
from ..models import Inquiry, Proposal, ScopeItem
from ..selectors import scope_comparison
from ..webhook_data import inquiry_emit_status_changed, proposal_emit

PROPOSAL_LINK_SALT = "inquiries.proposal-link"


class ProposalNotAcceptable(Exception):
    """The client cannot accept this proposal (already accepted, superseded, or closed)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _decimal_str(value: Decimal) -> str:
    return format(value.normalize() if value == value.to_integral() else value, "f")


def _bundle_snapshot(bundle: estimates.Bundle, currency: str) -> dict:
    return {
        "item_count": bundle.item_count,
        "hours_expected": str(estimates.round_hours(bundle.expected)),
        "hours_low": str(estimates.round_hours(bundle.low)),
        "hours_high": str(estimates.round_hours(bundle.high)),
        "cost_expected": str(estimates.round_money(bundle.cost_expected, currency)),
        "cost_low": str(estimates.round_money(bundle.cost_low, currency)),
        "cost_high": str(estimates.round_money(bundle.cost_high, currency)),
        "weeks_expected": str(estimates.round_hours(bundle.weeks_expected)),
        "weeks_low": str(estimates.round_hours(bundle.weeks_low)),
        "weeks_high": str(estimates.round_hours(bundle.weeks_high)),
    }


def proposal_snapshot(*, inquiry: Inquiry, items: list[ScopeItem]) -> dict:
    """Everything the client will see, frozen as JSON (Decimals as strings)."""
    comparison = scope_comparison(inquiry=inquiry, items=items)
    currency = comparison.currency
    rate = comparison.hourly_rate
    return {
        "title": inquiry.title,
        "client_name": inquiry.client.name,
        "contact_name": inquiry.contact.name if inquiry.contact else "",
        "problem": inquiry.problem,
        "goal": inquiry.goal,
        "assumptions": [line.strip() for line in inquiry.assumptions.splitlines() if line.strip()],
        "currency": currency,
        "hourly_rate": _decimal_str(rate),
        "capacity_per_week": _decimal_str(comparison.capacity_per_week),
        "items": [
            {
                "id": item.pk,
                "title": item.title,
                "description": item.description,
                "priority": item.priority,
                "phase": item.phase,
                "optimistic_hours": str(item.optimistic_hours),
                "likely_hours": str(item.likely_hours),
                "pessimistic_hours": str(item.pessimistic_hours),
                "expected_hours": str(estimates.round_hours(item.estimate.expected)),
                # Unrounded, so an accepted total is computed from exact hours.
                "expected_hours_exact": str(item.estimate.expected),
                "cost_expected": str(estimates.round_money(item.estimate.expected * rate, currency)),
            }
            for item in items
        ],
        "car": _bundle_snapshot(comparison.car, currency),
        "flying_car": _bundle_snapshot(comparison.flying_car, currency),
        "must_share": str(estimates.round_hours(comparison.must_share * 100)) if comparison.must_share else None,
    }


def proposal_link_token(*, key: str) -> str:
    """The signed, timestamped token of a public proposal link (/p/<token>/)."""
    return signing.dumps(key, salt=PROPOSAL_LINK_SALT, compress=False)


def proposal_key_from_token(token: str) -> str:
    """The proposal key inside a link token; raises signing.BadSignature / SignatureExpired."""
    max_age = timedelta(days=settings.PROPOSAL_LINK_MAX_AGE_DAYS)
    key = signing.loads(token, salt=PROPOSAL_LINK_SALT, max_age=max_age)
    if not isinstance(key, str):
        raise signing.BadSignature("unexpected payload")
    return key


@transaction.atomic
def proposal_send(*, inquiry: Inquiry, actor) -> Proposal:
    """Freeze the current scope as the next numbered version and return it (with its link)."""
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("client", "contact").get(pk=inquiry.pk)
    if inquiry.status in (Inquiry.Status.WON, Inquiry.Status.LOST):
        raise ValidationError(_("This inquiry is closed; no new proposal can be sent."))
    items = list(inquiry.scope_items.order_by("position", "id"))
    if not any(item.is_need for item in items):
        raise ValidationError(_("Add at least one Must item before sending a proposal."))
    last = inquiry.proposals.aggregate(m=Max("number"))["m"] or 0
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    proposal = Proposal.objects.create(
        inquiry=inquiry,
        number=last + 1,
        key=key,
        link_token=proposal_link_token(key=key),
        snapshot=proposal_snapshot(inquiry=inquiry, items=items),
        sent_at=now,
        sent_by=actor,
        expires_at=now + timedelta(days=settings.PROPOSAL_LINK_MAX_AGE_DAYS),
    )
    old_status = inquiry.status
    if old_status != Inquiry.Status.PROPOSAL_SENT:
        inquiry.status_changed_at = now
    inquiry.status = Inquiry.Status.PROPOSAL_SENT
    inquiry.save(update_fields=["status", "status_changed_at", "updated_at"])
    timeline_record(
        client=inquiry.client,
        kind="proposal.sent",
        summary=gettext_noop("Proposal v%(number)s sent: %(title)s"),
        params={"number": proposal.number, "title": inquiry.title},
        actor=actor,
        url=proposal.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "proposal_id": proposal.pk, "from": old_status},
    )
    proposal_emit("proposal.sent", proposal)
    if old_status != inquiry.status:
        inquiry_emit_status_changed(inquiry, previous_status=old_status)
    _email_proposal_link(proposal=proposal, inquiry=inquiry)
    _notice_proposal_sent(proposal=proposal, inquiry=inquiry)
    return proposal


def _notice_proposal_sent(*, proposal: Proposal, inquiry: Inquiry) -> None:
    """The other channels that tell the contact (AlimTalk, when they agreed to it): also for a
    contact without an email address, who may know us only from KakaoTalk."""
    customer_notice(
        purpose=PROPOSAL_SENT,
        contact=inquiry.contact,
        values={"title": inquiry.title, "number": str(proposal.number), "link": proposal.public_link},
        once_key=f"proposal-{proposal.pk}",
    )


def _email_proposal_link(*, proposal: Proposal, inquiry: Inquiry) -> None:
    """Email the contact the link through the outbox (in this transaction; sent after commit),
    inside the agency's email layout and signature, in the contact's language."""
    contact = inquiry.contact
    if contact is None or not contact.email:
        return
    from agency_crm.outbox import outbox_enqueue

    with translation.override(contact.preferred_language):
        subject = _("Proposal: %(title)s") % {"title": inquiry.title}
    outbox_enqueue(
        to=[contact.email],
        subject=subject,
        template="proposal_link",
        context={
            "inquiry": inquiry,
            "proposal": proposal,
            "contact": contact,
            "link": proposal.public_link,
        },
        language=contact.preferred_language,
        kind="proposal",
        client=inquiry.client,
        related={"inquiry_id": inquiry.pk, "proposal_id": proposal.pk},
    )


def _email_acceptance_confirmation(*, proposal: Proposal, inquiry: Inquiry) -> None:
    """Tell the customer, in their language, what they accepted and what happens next (in the
    acceptance's transaction, so it is written once; sent after the commit)."""
    contact = inquiry.contact
    if contact is None or not contact.email:
        return
    from agency_crm.outbox import outbox_enqueue

    snapshot = proposal.snapshot
    chosen = set(proposal.accepted_item_ids)
    items = [item for item in snapshot["items"] if item["priority"] == "must" or item["id"] in chosen]
    currency = snapshot["currency"]
    owner = inquiry.owner
    with translation.override(contact.preferred_language):
        subject = _("Thank you: we received your acceptance of %(title)s") % {"title": inquiry.title}
    outbox_enqueue(
        to=[contact.email],
        subject=subject,
        template="proposal_accepted",
        context={
            "inquiry": inquiry,
            "proposal": proposal,
            "contact": contact,
            "items": [
                {"title": item["title"], "cost": estimates.format_money(Decimal(item["cost_expected"]), currency)}
                for item in items
            ],
            "total": estimates.format_money(proposal.accepted_total, currency),
            "owner_name": display_name(owner) if owner else "",
            "link": proposal.public_link,
        },
        language=contact.preferred_language,
        kind="proposal",
        client=inquiry.client,
        related={"inquiry_id": inquiry.pk, "proposal_id": proposal.pk},
    )


def proposal_accept_total(*, snapshot: dict, want_ids: list[int]) -> Decimal:
    """Price of the Musts plus the chosen wants: exact expected hours x rate, rounded once."""
    rate = Decimal(snapshot["hourly_rate"])
    hours = sum(
        (
            Decimal(item["expected_hours_exact"])
            for item in snapshot["items"]
            if item["priority"] == ScopeItem.Priority.MUST or item["id"] in want_ids
        ),
        Decimal(0),
    )
    return estimates.round_money(hours * rate, snapshot["currency"])


def proposal_want_ids(snapshot: dict) -> list[int]:
    wants = (ScopeItem.Priority.SHOULD, ScopeItem.Priority.COULD)
    return [item["id"] for item in snapshot["items"] if item["priority"] in wants]


def proposal_accept(*, proposal: Proposal, accepted_by_name: str, want_ids: list[int]) -> Proposal:
    """The client accepts the Musts plus the chosen wants, exactly once per inquiry."""
    name = accepted_by_name.strip()
    if not name:
        raise ValidationError(_("Please enter your name."))
    if not set(want_ids) <= set(proposal_want_ids(proposal.snapshot)):
        raise ValidationError(_("Choose only items offered in this proposal."))
    try:
        with transaction.atomic():
            inquiry = (
                Inquiry.objects.select_for_update(of=("self",)).select_related("client").get(pk=proposal.inquiry_id)
            )
            latest = inquiry.proposals.aggregate(m=Max("number"))["m"]
            if inquiry.status == Inquiry.Status.WON or inquiry.proposals.filter(accepted_at__isnull=False).exists():
                raise ProposalNotAcceptable(_("This proposal has already been accepted."))
            if inquiry.status == Inquiry.Status.LOST:
                raise ProposalNotAcceptable(_("This inquiry is closed. Please contact us."))
            if proposal.number != latest:
                raise ProposalNotAcceptable(_("A newer version of this proposal has been sent to you."))
            now = timezone.now()
            old_status = inquiry.status
            chosen = sorted(want_ids)
            total = proposal_accept_total(snapshot=proposal.snapshot, want_ids=chosen)
            # The conditional update and the partial unique constraint make this happen once,
            # even if the lock above were ever removed.
            updated = Proposal.objects.filter(pk=proposal.pk, accepted_at__isnull=True).update(
                accepted_at=now, accepted_by_name=name[:200], accepted_item_ids=chosen, accepted_total=total
            )
            if updated != 1:
                raise ProposalNotAcceptable(_("This proposal has already been accepted."))
            inquiry.status = Inquiry.Status.WON
            inquiry.accepted_total = total
            inquiry.won_at = now
            inquiry.status_changed_at = now
            inquiry.save(update_fields=["status", "status_changed_at", "accepted_total", "won_at", "updated_at"])
            currency = proposal.snapshot["currency"]
            timeline_record(
                client=inquiry.client,
                kind="proposal.accepted",
                summary=gettext_noop("%(name)s accepted proposal v%(number)s (%(total)s): %(title)s"),
                params={
                    "name": name,
                    "number": proposal.number,
                    "total": estimates.format_money(total, currency),
                    "title": inquiry.title,
                },
                url=proposal.get_absolute_url(),
                data={
                    "inquiry_id": inquiry.pk,
                    "proposal_id": proposal.pk,
                    "item_ids": chosen,
                    "total": str(total),
                    "currency": currency,
                },
            )
            timeline_record(
                client=inquiry.client,
                kind="inquiry.won",
                summary=gettext_noop("Inquiry won: %(title)s"),
                params={"title": inquiry.title},
                url=inquiry.get_absolute_url(),
                data={"inquiry_id": inquiry.pk, "proposal_id": proposal.pk},
            )
            accepted = Proposal.objects.get(pk=proposal.pk)
            proposal_emit("proposal.accepted", accepted)
            inquiry_emit_status_changed(inquiry, previous_status=old_status)
            hooks.won(inquiry=inquiry, actor=None)
            # The owners hear of it from followups' beat pick-up (it may not be imported here).
            _email_acceptance_confirmation(proposal=accepted, inquiry=inquiry)
    except IntegrityError as exc:
        raise ProposalNotAcceptable(_("This proposal has already been accepted.")) from exc
    proposal.refresh_from_db()
    return proposal
