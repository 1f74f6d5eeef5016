"""Business actions on inquiries, scope items and proposals. Each one is transaction-safe."""

import logging
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clients.models import Client, Contact, ResponseTier
from clients.timeline import timeline_record

from . import estimates
from .models import DiscoveryAnswer, DiscoveryQuestion, Inquiry, Proposal, ScopeItem
from .selectors import scope_comparison

logger = logging.getLogger(__name__)

PROPOSAL_LINK_SALT = "inquiries.proposal-link"
INQUIRY_FIELDS = {
    "title",
    "source",
    "problem",
    "goal",
    "budget_min",
    "budget_max",
    "deadline",
    "owner",
    "hourly_rate",
    "currency",
    "assumptions",
}
SCOPE_ITEM_FIELDS = {
    "title",
    "description",
    "priority",
    "phase",
    "optimistic_hours",
    "likely_hours",
    "pessimistic_hours",
}


class ProposalNotAcceptable(Exception):
    """The client cannot accept this proposal (already accepted, superseded, or closed)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- inquiries ---------------------------------------------------------------------------------
@transaction.atomic
def inquiry_create(
    *,
    actor,
    details: dict,
    client: Client | None = None,
    new_client_name: str = "",
    contact: Contact | None = None,
    new_contact_name: str = "",
    new_contact_email: str = "",
) -> Inquiry:
    """Record an inquiry for an existing client, or for a prospect created on the fly."""
    unknown = set(details) - INQUIRY_FIELDS
    if unknown:
        raise ValueError(f"unknown inquiry fields: {sorted(unknown)}")
    owner = details.get("owner") or actor
    if client is None:
        if not new_client_name.strip():
            raise ValidationError(_("Choose a client or enter the name of a new prospect."))
        client = Client.objects.create(
            name=new_client_name.strip(),
            status=Client.Status.PROSPECT,
            response_tier=ResponseTier.PROSPECT,
            account_owner=owner,
        )
        timeline_record(
            client=client, kind="client.created", summary=_("Prospect created from an inquiry"), actor=actor
        )
    if contact is not None and contact.client_id != client.pk:
        raise ValidationError(_("The contact must belong to the chosen client."))
    if contact is None and new_contact_name.strip():
        contact = Contact.objects.create(client=client, name=new_contact_name.strip(), email=new_contact_email.strip())
    inquiry = Inquiry(client=client, contact=contact, **{**details, "owner": owner})
    inquiry.full_clean()
    inquiry.save()
    timeline_record(
        client=client,
        kind="inquiry.created",
        summary=_("Inquiry: %(title)s") % {"title": inquiry.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk},
    )
    return inquiry


@transaction.atomic
def inquiry_update(*, inquiry: Inquiry, actor, changes: dict) -> Inquiry:
    unknown = set(changes) - INQUIRY_FIELDS - {"contact"}
    if unknown:
        raise ValueError(f"unknown inquiry fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(inquiry, field, value)
    if inquiry.contact is not None and inquiry.contact.client_id != inquiry.client_id:
        raise ValidationError(_("The contact must belong to the inquiry's client."))
    inquiry.full_clean()
    inquiry.save()
    return inquiry


@transaction.atomic
def inquiry_set_status(*, inquiry: Inquiry, status: str, actor, lost_reason: str = "") -> Inquiry:
    if status not in Inquiry.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Inquiry.Status.LOST and not lost_reason.strip():
        raise ValidationError(_("Say why the inquiry was lost."))
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.delivered_on and status != Inquiry.Status.WON:
        raise ValidationError(_("A delivered inquiry stays won."))
    old_status = inquiry.status
    if old_status == status and status != Inquiry.Status.LOST:
        return inquiry
    inquiry.status = status
    inquiry.lost_reason = lost_reason.strip() if status == Inquiry.Status.LOST else ""
    if status == Inquiry.Status.WON and inquiry.won_at is None:
        inquiry.won_at = timezone.now()
    inquiry.save(update_fields=["status", "lost_reason", "won_at", "updated_at"])
    summary = _("Inquiry “%(title)s”: %(old)s → %(new)s") % {
        "title": inquiry.title,
        "old": Inquiry.Status(old_status).label,
        "new": inquiry.get_status_display(),
    }
    timeline_record(
        client=inquiry.client,
        kind="inquiry.won" if status == Inquiry.Status.WON else "inquiry.status_changed",
        summary=summary,
        body=inquiry.lost_reason,
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "from": old_status, "to": status},
    )
    return inquiry


@transaction.atomic
def inquiry_discovery_save(*, inquiry: Inquiry, answers: dict[int, str], actor) -> int:
    """Store answers to the discovery checklist (question id -> text); returns how many changed."""
    questions = {q.pk: q for q in DiscoveryQuestion.objects.filter(pk__in=answers.keys())}
    existing = {a.question_id: a for a in DiscoveryAnswer.objects.filter(inquiry=inquiry, question__in=questions)}
    changed = 0
    for question_id, text in answers.items():
        if question_id not in questions:
            continue
        text = (text or "").strip()
        answer = existing.get(question_id)
        if answer is None:
            if text:
                DiscoveryAnswer.objects.create(inquiry=inquiry, question_id=question_id, answer=text)
                changed += 1
        elif answer.answer != text:
            answer.answer = text
            answer.save(update_fields=["answer", "updated_at"])
            changed += 1
    if changed and inquiry.status == Inquiry.Status.NEW:
        Inquiry.objects.filter(pk=inquiry.pk, status=Inquiry.Status.NEW).update(
            status=Inquiry.Status.DISCOVERY, updated_at=timezone.now()
        )
    return changed


@transaction.atomic
def inquiry_mark_delivered(*, inquiry: Inquiry, delivered_on: date, actor) -> Inquiry:
    """The won work shipped on `delivered_on`; post-sale check-ins (followups) start from it."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.status != Inquiry.Status.WON:
        raise ValidationError(_("Only a won inquiry can be delivered."))
    if inquiry.delivered_on == delivered_on:
        return inquiry
    inquiry.delivered_on = delivered_on
    inquiry.save(update_fields=["delivered_on", "updated_at"])
    timeline_record(
        client=inquiry.client,
        kind="inquiry.delivered",
        summary=_("Delivered: %(title)s") % {"title": inquiry.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "delivered_on": delivered_on.isoformat()},
    )
    return inquiry


# --- scope items -------------------------------------------------------------------------------
def _validate_item_fields(fields: dict) -> None:
    unknown = set(fields) - SCOPE_ITEM_FIELDS
    if unknown:
        raise ValueError(f"unknown scope item fields: {sorted(unknown)}")


def _check_estimate(item: ScopeItem) -> None:
    errors = estimates.estimate_errors(item.optimistic_hours, item.likely_hours, item.pessimistic_hours)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scope_item_add(*, inquiry: Inquiry, actor, fields: dict) -> ScopeItem:
    _validate_item_fields(fields)
    # Lock the inquiry so two items added at once get distinct positions.
    Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    last = ScopeItem.objects.filter(inquiry=inquiry).aggregate(m=Max("position"))["m"]
    item = ScopeItem(inquiry=inquiry, position=0 if last is None else last + 1, **fields)
    _check_estimate(item)
    item.full_clean()
    item.save()
    timeline_record(
        client=inquiry.client,
        kind="scope_item.added",
        summary=_("Scope item for “%(inquiry)s”: %(title)s (%(priority)s, %(hours)s h expected)")
        % {
            "inquiry": inquiry.title,
            "title": item.title,
            "priority": item.get_priority_display(),
            "hours": estimates.round_hours(item.estimate.expected),
        },
        actor=actor,
        url=f"{inquiry.get_absolute_url()}#item-{item.pk}",
        data={"inquiry_id": inquiry.pk, "scope_item_id": item.pk},
    )
    # Conditional: the in-memory status may be stale, the row's is not.
    Inquiry.objects.filter(pk=inquiry.pk, status__in=[Inquiry.Status.NEW, Inquiry.Status.DISCOVERY]).update(
        status=Inquiry.Status.SCOPED, updated_at=timezone.now()
    )
    return item


@transaction.atomic
def scope_item_update(*, item: ScopeItem, actor, fields: dict) -> ScopeItem:
    _validate_item_fields(fields)
    for field, value in fields.items():
        setattr(item, field, value)
    _check_estimate(item)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def scope_item_delete(*, item: ScopeItem, actor) -> None:
    inquiry = item.inquiry
    timeline_record(
        client=inquiry.client,
        kind="scope_item.removed",
        summary=_("Scope item removed from “%(inquiry)s”: %(title)s") % {"inquiry": inquiry.title, "title": item.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "scope_item_id": item.pk},
    )
    item.delete()


@transaction.atomic
def scope_item_move(*, item: ScopeItem, direction: str, actor) -> None:
    """Move an item one place up or down; positions are renumbered 0..n-1."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    items = list(ScopeItem.objects.select_for_update().filter(inquiry_id=item.inquiry_id).order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            changed.append(other)
    ScopeItem.objects.bulk_update(changed, ["position"])


# --- proposals ---------------------------------------------------------------------------------
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
    inquiry.status = Inquiry.Status.PROPOSAL_SENT
    inquiry.save(update_fields=["status", "updated_at"])
    timeline_record(
        client=inquiry.client,
        kind="proposal.sent",
        summary=_("Proposal v%(number)s sent: %(title)s") % {"number": proposal.number, "title": inquiry.title},
        actor=actor,
        url=proposal.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "proposal_id": proposal.pk, "from": old_status},
    )
    _email_proposal_link(proposal=proposal, inquiry=inquiry)
    return proposal


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
            "link": settings.SITE_URL + proposal.get_public_url(),
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
            inquiry.save(update_fields=["status", "accepted_total", "won_at", "updated_at"])
            currency = proposal.snapshot["currency"]
            timeline_record(
                client=inquiry.client,
                kind="proposal.accepted",
                summary=_("%(name)s accepted proposal v%(number)s (%(total)s): %(title)s")
                % {
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
                summary=_("Inquiry won: %(title)s") % {"title": inquiry.title},
                url=inquiry.get_absolute_url(),
                data={"inquiry_id": inquiry.pk, "proposal_id": proposal.pk},
            )
            # Notifying the owner beyond the timeline waits for the notifications system.
    except IntegrityError as exc:
        raise ProposalNotAcceptable(_("This proposal has already been accepted.")) from exc
    proposal.refresh_from_db()
    return proposal
