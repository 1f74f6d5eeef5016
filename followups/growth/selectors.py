"""Reads of growth items: the deferred wants of a delivered inquiry, and the items a check-in and a
client page show (one query each)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from inquiries import estimates
from inquiries.models import Inquiry, ScopeItem

from ..care.models import Checkin
from .models import GrowthItem

WANTS = (ScopeItem.Priority.SHOULD, ScopeItem.Priority.COULD)


@dataclass(frozen=True)
class DeferredWant:
    source_item_id: int
    title: str
    description: str
    priority: str
    phase: str
    reason: str
    optimistic_hours: Decimal
    likely_hours: Decimal
    pessimistic_hours: Decimal
    hourly_rate: Decimal
    currency: str
    cost_expected: Decimal


def _reason(*, priority: str, phase: str, chosen: bool) -> str | None:
    """Why a want waits: a Won't, then a want the customer left out, then a later phase."""
    if priority == ScopeItem.Priority.WONT:
        return GrowthItem.Reason.WONT
    if priority in WANTS and not chosen:
        return GrowthItem.Reason.NOT_CHOSEN
    if phase == ScopeItem.Phase.LATER:
        return GrowthItem.Reason.LATER
    return None


def deferred_wants(*, inquiry: Inquiry) -> list[DeferredWant]:
    """The wants an inquiry deferred (two queries at most).

    From its accepted proposal, as the customer saw it: every Won't have this time, every Should or
    Could they did not choose, every item of a later phase. An inquiry won without a proposal
    accepted online has no record of which wants were declined: its current scope's Won'ts and
    later-phase items are the deferred ones.
    """
    proposal = inquiry.proposals.filter(accepted_at__isnull=False).first()
    wants = []
    if proposal is not None:
        snapshot = proposal.snapshot
        chosen = set(proposal.accepted_item_ids or [])
        rate, currency = Decimal(snapshot["hourly_rate"]), snapshot["currency"]
        for item in snapshot["items"]:
            reason = _reason(priority=item["priority"], phase=item["phase"], chosen=item["id"] in chosen)
            if reason is None:
                continue
            wants.append(
                DeferredWant(
                    source_item_id=item["id"],
                    title=item["title"],
                    description=item.get("description", ""),
                    priority=item["priority"],
                    phase=item["phase"],
                    reason=reason,
                    optimistic_hours=Decimal(item["optimistic_hours"]),
                    likely_hours=Decimal(item["likely_hours"]),
                    pessimistic_hours=Decimal(item["pessimistic_hours"]),
                    hourly_rate=rate,
                    currency=currency,
                    cost_expected=Decimal(item["cost_expected"]),
                )
            )
        return wants
    rate, currency = inquiry.effective_hourly_rate, inquiry.effective_currency
    for item in inquiry.scope_items.order_by("position", "id"):
        reason = _reason(priority=item.priority, phase=item.phase, chosen=True)
        if reason is None:
            continue
        wants.append(
            DeferredWant(
                source_item_id=item.pk,
                title=item.title,
                description=item.description,
                priority=item.priority,
                phase=item.phase,
                reason=reason,
                optimistic_hours=item.optimistic_hours,
                likely_hours=item.likely_hours,
                pessimistic_hours=item.pessimistic_hours,
                hourly_rate=rate,
                currency=currency,
                cost_expected=estimates.round_money(item.estimate.expected * rate, currency),
            )
        )
    return wants


def checkin_growth_items(*, checkin: Checkin) -> QuerySet[GrowthItem]:
    """The open growth items a check-in raises: the client's, except those snoozed past its due
    date (one query)."""
    return (
        GrowthItem.objects.filter(client_id=checkin.client_id, status=GrowthItem.Status.OPEN)
        .filter(Q(resurface_on__isnull=True) | Q(resurface_on__lte=checkin.due_on))
        .select_related("inquiry")
        .order_by("created_at", "id")
    )


def client_growth_items(*, client) -> QuerySet[GrowthItem]:
    """Every growth item of a client, the open ones first (one query)."""
    return (
        GrowthItem.objects.filter(client=client)
        .select_related("inquiry", "started_inquiry")
        .annotate(
            closed=Case(
                When(status=GrowthItem.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("closed", "-created_at", "-id")
    )
