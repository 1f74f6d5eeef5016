"""The pipeline's outcomes: won and lost by reason, and how far each month's inquiries got."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from inquiries.board.models import LostReason
from inquiries.models import DiscoveryAnswer, Inquiry, Proposal, ScopeItem

from .filters import agency_zone

Status = Inquiry.Status


@dataclass(frozen=True)
class Outcome:
    label: str
    count: int
    share: float | None  # of everything decided in the period


def outcomes_by_reason(*, start: dt.datetime, end: dt.datetime) -> list[Outcome]:
    """Won, then lost by reason, for inquiries decided in [start, end) (two queries: the counts,
    and the reasons' names). Losses recorded before the reasons list existed have only their
    typed text: they count as "no reason from the list"."""
    rows = (
        Inquiry.objects.filter(
            Q(status=Status.WON, won_at__gte=start, won_at__lt=end)
            | Q(status=Status.LOST, status_changed_at__gte=start, status_changed_at__lt=end)
        )
        .values_list("status", "loss__reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    won, lost = 0, {}
    for status, reason_id, count in rows:
        if status == Status.WON:
            won += count
        else:
            lost[reason_id] = lost.get(reason_id, 0) + count
    decided = won + sum(lost.values())

    def outcome(label, count):
        return Outcome(str(label), count, count / decided if decided else None)

    result = [outcome(_("Won"), won)]
    for reason in LostReason.objects.all():
        if reason.pk in lost or reason.is_active:
            result.append(outcome(_("Lost: %(reason)s") % {"reason": reason.name}, lost.get(reason.pk, 0)))
    if None in lost:
        result.append(outcome(_("Lost: no reason from the list"), lost[None]))
    return result


@dataclass(frozen=True)
class Cohort:
    """The inquiries created in one month and how far they got, whatever their status now."""

    month: dt.date
    created: int
    discovery: int  # a discovery answer or a scope item
    scoped: int  # a Must item
    proposal: int  # a proposal sent
    won: int
    lost: int

    def rate(self, count: int) -> float | None:
        return count / self.created if self.created else None

    @property
    def proposal_to_won(self) -> float | None:
        return self.won / self.proposal if self.proposal else None


def month_starts(*, end: dt.datetime, months: int) -> list[dt.date]:
    """The first days of the `months` months up to the one `end` falls in (agency time), oldest first."""
    local = end.astimezone(agency_zone()).date().replace(day=1)
    firsts = []
    for _month in range(months):
        firsts.append(local)
        local = (local - dt.timedelta(days=1)).replace(day=1)
    return firsts[::-1]


def conversion_by_month(*, now: dt.datetime, months: int = 12) -> list[Cohort]:
    """One row per month of creation (one query). A stage counts as reached from what it left
    behind (answers, scope, a proposal, the win or loss), since statuses keep no history."""
    zone = agency_zone()
    firsts = month_starts(end=now, months=months)
    start = dt.datetime.combine(firsts[0], dt.time(), tzinfo=zone)
    pk = OuterRef("pk")
    rows = (
        Inquiry.objects.filter(created_at__gte=start, created_at__lte=now)
        .annotate(
            month=TruncMonth("created_at", tzinfo=zone),
            answered=Exists(DiscoveryAnswer.objects.filter(inquiry=pk).exclude(answer="")),
            any_item=Exists(ScopeItem.objects.filter(inquiry=pk)),
            must=Exists(ScopeItem.objects.filter(inquiry=pk, priority=ScopeItem.Priority.MUST)),
            sent=Exists(Proposal.objects.filter(inquiry=pk)),
        )
        .values("month")
        .annotate(
            created=Count("id"),
            discovery=Count("id", filter=Q(answered=True) | Q(any_item=True)),
            scoped=Count("id", filter=Q(must=True)),
            proposal=Count("id", filter=Q(sent=True)),
            won=Count("id", filter=Q(status=Status.WON)),
            lost=Count("id", filter=Q(status=Status.LOST)),
        )
        .order_by("month")
    )
    by_month = {row.pop("month").date(): row for row in rows}
    empty = {"created": 0, "discovery": 0, "scoped": 0, "proposal": 0, "won": 0, "lost": 0}
    return [Cohort(month=first, **by_month.get(first, empty)) for first in firsts]
