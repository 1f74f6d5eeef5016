"""Reads for the board: its stages and its columns of cards, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Case, DateTimeField, F, Q, Sum, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import ngettext

from agency_crm.people import display_name
from inquiries import estimates, hooks
from inquiries.models import Inquiry, ScopeItem

from .defaults import STAGES
from .models import LostReason, PipelineStage
from .money import money_range
from .sums import column_sums

Status = Inquiry.Status
# A column shows this many cards; its count and sums cover all of its inquiries, and a link
# opens the rest in the inquiry list.
CARDS_PER_COLUMN = 30
CLOSED = (Status.WON, Status.LOST)


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
    board does this for every card; sums.py does the same in SQL for the column heads); else the
    customer's budget range."""
    hourly_rate, accepted_total, budget_min, budget_max, o, m, p = figures
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


def _shown(queryset) -> list[dict]:
    """The cards each column shows (CARDS_PER_COLUMN): open stages the inquiry waiting longest in
    its stage first, closed ones (won, lost) the newest first; one query, ranked by the database."""
    closed = Q(status__in=CLOSED)
    rank = Window(
        RowNumber(),
        partition_by=[F("status")],
        order_by=[
            Case(When(closed, then=F("status_changed_at")), output_field=DateTimeField()).desc(nulls_last=True),
            Case(When(closed, then=F("id")), output_field=BigIntegerField()).desc(nulls_last=True),
            F("status_changed_at").asc(),
            F("id").asc(),
        ],
    )
    return list(
        queryset.annotate(rank=rank)
        .filter(rank__lte=CARDS_PER_COLUMN)
        .values(
            "id",
            "title",
            "status",
            "status_changed_at",
            "currency",
            "hourly_rate",
            "accepted_total",
            "budget_min",
            "budget_max",
            "delivered_on",
            "owner_id",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "client__name",
        )
        .order_by("rank")
    )


def _musts(ids: list[int]) -> dict[int, tuple]:
    """The shown cards' Musts: inquiry id -> (optimistic, most likely, pessimistic) hour sums."""
    rows = (
        ScopeItem.objects.filter(inquiry_id__in=ids, priority=ScopeItem.Priority.MUST)
        .values("inquiry_id")
        .annotate(o=Sum("optimistic_hours"), m=Sum("likely_hours"), p=Sum("pessimistic_hours"))
        .values_list("inquiry_id", "o", "m", "p")
        .order_by()
    )
    return {pk: (o, m, p) for pk, o, m, p in rows}


def next_step_mark(step: hooks.NextStep | None, now: dt.datetime) -> str:
    """overdue (red), today (green), later (grey), none (yellow: "no next step")."""
    if step is None:
        return "none"
    if step.due_at < now:
        return "overdue"
    if timezone.localdate(step.due_at) == timezone.localdate(now):
        return "today"
    return "later"


def _card(row: dict, musts: tuple | None, now: dt.datetime, stale_after: int | None) -> Card:
    currency = row["currency"] or settings.AGENCY_CURRENCY
    o, m, p = musts or (None, None, None)
    low, high, basis = _estimate(
        (row["hourly_rate"], row["accepted_total"], row["budget_min"], row["budget_max"], o, m, p)
    )
    entered = row["status_changed_at"]
    days = (now - entered).days
    owner = {"first": row["owner__first_name"], "last": row["owner__last_name"], "username": row["owner__username"]}
    return Card(
        id=row["id"],
        title=row["title"],
        status=row["status"],
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
    """The board in four queries (the stages, every column's count and sums, the shown cards,
    their Musts) plus one per next-step provider."""
    now = now or timezone.now()
    all_stages = stages()
    columns = {stage.status: Column(stage) for stage in all_stages}
    queryset = _filtered(filters, all_stages, now)
    for status, (count, sums) in column_sums(queryset).items():
        column = columns[status]
        share = Decimal(column.stage.win_probability) / 100
        column.count = count
        column.weighted = {
            currency: (estimates.round_money(low * share, currency), estimates.round_money(high * share, currency))
            for currency, (low, high) in sorted(sums.items())
        }
    rows = _shown(queryset)
    musts = _musts([row["id"] for row in rows])
    for row in rows:
        column = columns[row["status"]]
        column.cards.append(_card(row, musts.get(row["id"]), now, column.stage.stale_after_days))
    shown = [card for column in columns.values() for card in column.cards]
    steps = hooks.next_steps([card.id for card in shown]) if shown else {}
    for card in shown:
        if card.status != Status.LOST:
            card.next_step = steps.get(card.id)
            card.mark = next_step_mark(card.next_step, now)
    return list(columns.values())
