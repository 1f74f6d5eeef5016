"""The inquiry funnel: from first contact to accepted proposal and delivery, in one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from inquiries.models import Inquiry, Proposal

from .filters import DashboardFilters


@dataclass
class Funnel:
    by_status: list[tuple[str, str, int]]  # (status, label, count) in pipeline order
    won: int
    lost: int
    accepted: int
    accepted_car_only: int

    @property
    def total(self) -> int:
        return sum(count for _status, _label, count in self.by_status)

    @property
    def won_rate(self) -> float | None:
        decided = self.won + self.lost
        return self.won / decided if decided else None

    @property
    def accepted_with_wants(self) -> int:
        return self.accepted - self.accepted_car_only

    @property
    def car_only_share(self) -> float | None:
        return self.accepted_car_only / self.accepted if self.accepted else None

    @property
    def wants_share(self) -> float | None:
        return self.accepted_with_wants / self.accepted if self.accepted else None


def inquiry_funnel(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime) -> Funnel:
    """Inquiries created in the period by status, and proposals accepted in it (two queries).

    The Car is the Musts alone: an accepted proposal with no chosen want (accepted_item_ids = []).
    Channel does not apply (an inquiry has a source, not a conversation channel).
    """

    inquiries = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    proposals = Proposal.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
    if filters.owner_id:
        inquiries = inquiries.filter(owner_id=filters.owner_id)
        proposals = proposals.filter(inquiry__owner_id=filters.owner_id)
    if filters.tier:
        inquiries = inquiries.filter(client__response_tier=filters.tier)
        proposals = proposals.filter(inquiry__client__response_tier=filters.tier)
    counts = dict(inquiries.values_list("status").annotate(n=Count("id")).order_by())
    accepted = proposals.aggregate(total=Count("id"), car=Count("id", filter=Q(accepted_item_ids=[])))
    return Funnel(
        by_status=[(value, label, counts.get(value, 0)) for value, label in Inquiry.Status.choices],
        won=counts.get(Inquiry.Status.WON, 0),
        lost=counts.get(Inquiry.Status.LOST, 0),
        accepted=accepted["total"],
        accepted_car_only=accepted["car"],
    )
