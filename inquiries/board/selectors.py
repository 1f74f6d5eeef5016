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
CARDS_PER_COLUMN = 30
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


SIX = Decimal(6)


def _estimate(figures: tuple) -> tuple[Decimal | None, Decimal | None, str]:
    """(low, high, basis), unrounded: the accepted total; else the Car's cost range (the Musts'
    PERT range as estimates.bundle gives it: max(E - 2S, O) .. E + 2S, written out because the
    board does this for every inquiry); else the customer's budget range."""
    _id, _status, _entered, _currency, hourly_rate, accepted_total, budget_min, budget_max, o, m, p = figures
    if accepted_total is not None:
        return accepted_total, accepted_total, "accepted"
    if o is not None:
        rate = hourly_rate if hourly_rate is not None else settings.AGENCY_HOURLY_RATE
        return max((3 * o + 4 * m - p) / SIX, o) * rate, (4 * m + 3 * p - o) / SIX * rate, "estimate"
    if budget_min is None and budget_max is None:
        return None, None, ""
    return (
        (budget_min if budget_min is not None else budget_max),
        (budget_max if budget_max is not None else budget_min),
        "budget",
    )


def _stale_condition(all_stages: list[PipelineStage], now: dt.datetime) -> Q:
    condition = Q(pk__in=[])
    for stage in all_stages:
        if stage.stale_after_days:
            since = now - dt.timedelta(days=stage.stale_after_days)
            condition |= Q(status=stage.status, status_changed_at__lte=since)
    return condition


def _filtered(filters: Filters, all_stages: list[PipelineStage], now: dt.datetime):
    queryset = Inquiry.objects.order_by()
    if filters.owner_id:
        queryset = queryset.filter(owner_id=filters.owner_id)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    if filters.stale:
        queryset = queryset.filter(_stale_condition(all_stages, now))
    return queryset


def _figures(queryset):
    """One tuple per inquiry of the board, with its Musts' three-point sums: every inquiry counts
    in its column's count and sums, so these are read for all of them, as plain tuples."""
    return queryset.values_list(
        "id",
        "status",
        "status_changed_at",
        "currency",
        "hourly_rate",
        "accepted_total",
        "budget_min",
        "budget_max",
    ).annotate(
        o=Sum("scope_items__optimistic_hours", filter=MUSTS),
        m=Sum("scope_items__likely_hours", filter=MUSTS),
        p=Sum("scope_items__pessimistic_hours", filter=MUSTS),
    )


def _card_details(ids: list[int]) -> dict[int, dict]:
    """What the shown cards (at most CARDS_PER_COLUMN a column) add: title, client, owner."""
    rows = Inquiry.objects.filter(pk__in=ids).values(
        "id",
        "title",
        "delivered_on",
        "owner_id",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "client__name",
    )
    return {row["id"]: row for row in rows}


def next_step_mark(step: hooks.NextStep | None, now: dt.datetime) -> str:
    """overdue (red), today (green), later (grey), none (yellow: "no next step")."""
    if step is None:
        return "none"
    if step.due_at < now:
        return "overdue"
    if timezone.localdate(step.due_at) == timezone.localdate(now):
        return "today"
    return "later"


def _card(figures: tuple, row: dict, currency: str, estimate: tuple, now: dt.datetime, stale_after) -> Card:
    entered = figures[2]
    days = (now - entered).days
    low, high, basis = estimate
    owner = {"first": row["owner__first_name"], "last": row["owner__last_name"], "username": row["owner__username"]}
    return Card(
        id=row["id"],
        title=row["title"],
        status=figures[1],
        client_name=row["client__name"],
        owner_id=row["owner_id"],
        owner_name=display_name(owner),
        currency=currency,
        low=None if low is None else estimates.round_money(low, currency),
        high=None if high is None else estimates.round_money(high, currency),
        basis=basis,
        entered_at=entered,
        days_in_stage=max(days, 0),
        stale=bool(stale_after) and days >= stale_after,
        delivered=row["delivered_on"] is not None,
    )


def board_columns(*, filters: Filters, now: dt.datetime | None = None) -> list[Column]:
    """The board: three queries (the stages, every inquiry's figures, the shown cards' details)
    plus one per next-step provider. Every inquiry counts in its column; only the cards shown
    are built."""
    now = now or timezone.now()
    all_stages = stages()
    columns = {stage.status: Column(stage) for stage in all_stages}
    sums: dict[str, dict[str, list[Decimal]]] = defaultdict(dict)
    pending: dict[str, list[tuple]] = defaultdict(list)
    default_currency = settings.AGENCY_CURRENCY
    for figures in _figures(_filtered(filters, all_stages, now)):
        status = figures[1]
        currency = figures[3] or default_currency
        estimate = _estimate(figures)
        columns[status].count += 1
        if estimate[0] is not None:
            total = sums[status].setdefault(currency, [Decimal(0), Decimal(0)])
            total[0] += estimate[0]
            total[1] += estimate[1]
        pending[status].append((figures[2], figures[0], figures, currency, estimate))
    chosen: dict[str, list[tuple]] = {}
    for status in columns:
        # Open stages: the inquiry waiting longest in its stage first; closed ones: newest first.
        chosen[status] = sorted(pending[status], key=lambda entry: entry[:2], reverse=status in CLOSED)
        chosen[status] = chosen[status][:CARDS_PER_COLUMN]
    details = _card_details([entry[1] for entries in chosen.values() for entry in entries])
    shown: list[Card] = []
    for status, column in columns.items():
        stale_after = column.stage.stale_after_days
        column.cards = [
            _card(figures, details[pk], currency, estimate, now, stale_after)
            for _entered, pk, figures, currency, estimate in chosen[status]
            if pk in details  # deleted between the two queries
        ]
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
