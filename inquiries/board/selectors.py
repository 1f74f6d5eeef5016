"""Reads for the board: its stages and its columns of cards, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import ngettext

from agency_crm.people import display_name
from inquiries import estimates, hooks
from inquiries.models import Inquiry

from .defaults import STAGES
from .models import LostReason, PipelineStage
from .money import money_range

Status = Inquiry.Status
# A column shows this many cards; its count and sums cover all of its inquiries, and a link
# opens the rest in the inquiry list.
CARDS_PER_COLUMN = 50
# Closed stages show the newest first; open ones the inquiry waiting longest in its stage first.
CLOSED = (Status.WON, Status.LOST)
MUSTS = Q(scope_items__priority="must")


def stages() -> list[PipelineStage]:
    """Every status's stage in the agency's order (one query); a status without a row gets its
    default, unsaved."""
    saved = {stage.status: stage for stage in PipelineStage.objects.all()}
    for position, (status, en, ko, probability, stale) in enumerate(STAGES):
        if status not in saved:
            saved[status] = PipelineStage(
                status=status,
                name_en=en,
                name_ko=ko,
                position=position,
                win_probability=probability,
                stale_after_days=stale,
            )
    return sorted(saved.values(), key=lambda stage: (stage.position, stage.pk or 0, stage.status))


def lost_reasons() -> list[LostReason]:
    return list(LostReason.objects.filter(is_active=True))


@dataclass(frozen=True)
class Filters:
    owner_id: int | None = None
    source: str = ""
    stale: bool = False

    def query(self) -> dict[str, str]:
        """The filters as query parameters (the move forms carry them back to the board)."""
        values = {"owner": str(self.owner_id or ""), "source": self.source, "stale": "1" if self.stale else ""}
        return {name: value for name, value in values.items() if value}


@dataclass
class Card:
    id: int
    title: str
    status: str
    client_name: str
    owner_id: int
    owner_name: str
    currency: str
    low: Decimal | None
    high: Decimal | None
    basis: str  # accepted, estimate, budget or "" (no figure)
    entered_at: dt.datetime
    days_in_stage: int
    stale: bool
    delivered: bool
    next_step: hooks.NextStep | None = None
    mark: str = ""  # overdue, today, later, none ("" on a lost card)

    @property
    def days_text(self) -> str:
        days = self.days_in_stage
        return ngettext("%(days)s day in this stage", "%(days)s days in this stage", days) % {"days": days}

    @property
    def estimate_text(self) -> str:
        return money_range(self.low, self.high, self.currency)


@dataclass
class Column:
    stage: PipelineStage
    cards: list[Card] = field(default_factory=list)
    count: int = 0
    # currency -> (low, high), each summed over the column's inquiries and weighted by probability
    weighted: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)

    @property
    def more_text(self) -> str:
        more = self.more
        return ngettext("%(count)s more in the inquiry list", "%(count)s more in the inquiry list", more) % {
            "count": more
        }

    @property
    def weighted_texts(self) -> list[str]:
        return [money_range(low, high, currency) for currency, (low, high) in self.weighted.items()]


def _estimate(row: dict, currency: str) -> tuple[Decimal | None, Decimal | None, str]:
    """(low, high, basis): the accepted total; else the Car's cost range (Musts, as on the inquiry
    page: estimates.bundle); else the customer's budget range."""
    if row["accepted_total"] is not None:
        return row["accepted_total"], row["accepted_total"], "accepted"
    if row["o"] is not None:
        rate = row["hourly_rate"] if row["hourly_rate"] is not None else settings.AGENCY_HOURLY_RATE
        car = estimates.bundle(
            [estimates.Estimate(row["o"], row["m"], row["p"])],
            hourly_rate=rate,
            capacity_per_week=settings.TEAM_CAPACITY_HOURS_PER_WEEK,
        )
        return estimates.round_money(car.cost_low, currency), estimates.round_money(car.cost_high, currency), "estimate"
    low, high = row["budget_min"], row["budget_max"]
    if low is None and high is None:
        return None, None, ""
    return (low if low is not None else high), (high if high is not None else low), "budget"


def _stale_condition(all_stages: list[PipelineStage], now: dt.datetime) -> Q:
    condition = Q(pk__in=[])
    for stage in all_stages:
        if stage.stale_after_days:
            since = now - dt.timedelta(days=stage.stale_after_days)
            condition |= Q(status=stage.status, status_changed_at__lte=since)
    return condition


def _rows(filters: Filters, all_stages: list[PipelineStage], now: dt.datetime):
    queryset = Inquiry.objects.order_by()
    if filters.owner_id:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.stale:
        queryset = queryset.filter(_stale_condition(all_stages, now))
    # One row per inquiry, with its Musts' three-point sums: the card and the column sums need
    # every inquiry of the board, but never a model instance.
    return queryset.values(
        "id",
        "title",
        "status",
        "status_changed_at",
        "currency",
        "hourly_rate",
        "budget_min",
        "budget_max",
        "accepted_total",
        "delivered_on",
        "owner_id",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "client__name",
    ).annotate(
        o=Sum("scope_items__optimistic_hours", filter=MUSTS),
        m=Sum("scope_items__likely_hours", filter=MUSTS),
        p=Sum("scope_items__pessimistic_hours", filter=MUSTS),
    )


def next_step_mark(step: hooks.NextStep | None, now: dt.datetime) -> str:
    """overdue (red), today (green), later (grey), none (yellow: "no next step")."""
    if step is None:
        return "none"
    if step.due_at < now:
        return "overdue"
    if timezone.localdate(step.due_at) == timezone.localdate(now):
        return "today"
    return "later"


def board_columns(*, filters: Filters, now: dt.datetime | None = None) -> list[Column]:
    """The board: two queries (the stages, the inquiries) plus one per next-step provider."""
    now = now or timezone.now()
    all_stages = stages()
    columns = {stage.status: Column(stage) for stage in all_stages}
    stale_after = {stage.status: stage.stale_after_days for stage in all_stages}
    sums: dict[str, dict[str, list[Decimal]]] = defaultdict(dict)
    cards: dict[str, list[Card]] = defaultdict(list)
    default_currency = settings.AGENCY_CURRENCY
    for row in _rows(filters, all_stages, now):
        status = row["status"]
        currency = row["currency"] or default_currency
        low, high, basis = _estimate(row, currency)
        column = columns[status]
        column.count += 1
        if low is not None:
            total = sums[status].setdefault(currency, [Decimal(0), Decimal(0)])
            total[0] += low
            total[1] += high
        days = (now - row["status_changed_at"]).days
        limit = stale_after[status]
        cards[status].append(
            Card(
                id=row["id"],
                title=row["title"],
                status=status,
                client_name=row["client__name"],
                owner_id=row["owner_id"],
                owner_name=display_name(
                    {
                        "first": row["owner__first_name"],
                        "last": row["owner__last_name"],
                        "username": row["owner__username"],
                    }
                ),
                currency=currency,
                low=low,
                high=high,
                basis=basis,
                entered_at=row["status_changed_at"],
                days_in_stage=max(days, 0),
                stale=bool(limit) and days >= limit,
                delivered=row["delivered_on"] is not None,
            )
        )
    shown: list[Card] = []
    for status, column in columns.items():
        newest_first = status in CLOSED
        ordered = sorted(cards[status], key=lambda card: (card.entered_at, card.id), reverse=newest_first)
        column.cards = ordered[:CARDS_PER_COLUMN]
        shown += column.cards
        share = Decimal(column.stage.win_probability) / 100
        column.weighted = {
            currency: (estimates.round_money(low * share, currency), estimates.round_money(high * share, currency))
            for currency, (low, high) in sorted(sums[status].items())
        }
    steps = hooks.next_steps([card.id for card in shown]) if shown else {}
    for card in shown:
        if card.status != Status.LOST:
            card.next_step = steps.get(card.id)
            card.mark = next_step_mark(card.next_step, now)
    return list(columns.values())
