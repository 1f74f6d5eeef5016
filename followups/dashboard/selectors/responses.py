"""Reads for the manager dashboard (/dashboard/), each a constant number of queries.

The figures come from the stored `ResponseWait` rows (followups.conversations.clock), never from a
replay of messages:

- Response times: answered waits whose answer (`closed_at`) falls in the period. Percentiles are
  exact: PostgreSQL's `percentile_cont` (linear interpolation) in one query with GROUPING SETS
  for the headline and every breakdown; on other databases the same interpolation in Python.
- Breakdowns use the conversation's *current* owner and its channel of origin, and the client's
  current tier, so every figure links to the conversations behind it (and a reassignment moves
  the history with the work). The owner and channel are read from each wait's copies of its
  conversation's (kept equal by the clock and by every handover), the tier from the client.
  Weeks are agency-time-zone weeks starting on Monday, by answer time.
- "Waiting now": open waits, aged in the agency's business time. Instead of computing the age
  of every open wait, the bucket edges are turned into moments (the instant that lies exactly N
  business seconds before now) and the waits are counted with SQL comparisons.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from ...conversations.models import ResponseWait
from .filters import BASIS_COLUMNS, KINDS, DashboardFilters, week_start


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(ordered[lower])
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _rounded(seconds: float | None) -> float | None:
    """Percentiles to the millisecond: float8 interpolation leaves noise like 32400.000000000015."""
    return None if seconds is None else round(seconds, 3)


@dataclass
class KindFigures:
    count: int = 0
    met: int = 0
    p50: float | None = None
    p90: float | None = None

    @property
    def hit_rate(self) -> float | None:
        return self.met / self.count if self.count else None


@dataclass
class Figures:
    """Response figures of one group of answered waits (seconds in the chosen basis)."""

    first: KindFigures = field(default_factory=KindFigures)
    next: KindFigures = field(default_factory=KindFigures)

    @property
    def count(self) -> int:
        return self.first.count + self.next.count

    @property
    def met(self) -> int:
        return self.first.met + self.next.met

    @property
    def hit_rate(self) -> float | None:
        return self.met / self.count if self.count else None


@dataclass
class ResponseBreakdown:
    total: Figures
    by_owner: dict[int, Figures]
    by_channel: dict[str, Figures]
    by_tier: dict[str, Figures]
    by_week: dict[dt.date, Figures]


def _filter_sql(filters: DashboardFilters) -> tuple[str, list]:
    clauses, params = [], []
    if filters.owner_id:
        clauses.append("w.owner_id = %s")
        params.append(filters.owner_id)
    if filters.channel:
        clauses.append("w.channel = %s")
        params.append(filters.channel)
    if filters.tier:
        clauses.append("cl.response_tier = %s")
        params.append(filters.tier)
    return "".join(f" AND {clause}" for clause in clauses), params


def _postgres_breakdown(*, filters: DashboardFilters, start, end) -> ResponseBreakdown:
    column = BASIS_COLUMNS[filters.basis]
    extra, extra_params = _filter_sql(filters)
    aggregates = []
    for kind in KINDS:
        aggregates += [
            f"count(*) FILTER (WHERE w.kind = '{kind}')",
            f"count(*) FILTER (WHERE w.kind = '{kind}' AND w.met_target)",
            f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY w.{column}) FILTER (WHERE w.kind = '{kind}')",
        ]
    # One index-only scan of the period's answered waits (wait_answered_facts_idx, which holds
    # the wait's copies of its conversation's owner, client and channel) for every table at once;
    # only the clients (for their current tier) are joined.
    sql = f"""
        SELECT GROUPING(w.owner_id, w.channel, cl.response_tier, week) AS grouping_bits,
               w.owner_id, w.channel, cl.response_tier, week,
               {", ".join(aggregates)}
        FROM followups_responsewait w
        JOIN clients_client cl ON cl.id = w.client_id
        CROSS JOIN LATERAL (SELECT date_trunc('week', w.closed_at AT TIME ZONE %s)::date AS week) AS wk
        WHERE w.closed_reason = 'answered' AND w.closed_at >= %s AND w.closed_at < %s{extra}
        GROUP BY GROUPING SETS ((), (w.owner_id), (w.channel), (cl.response_tier), (week))
    """  # noqa: S608 - only allow-listed column names are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, [settings.TIME_ZONE, start, end, *extra_params])
        rows = cursor.fetchall()
    breakdown = ResponseBreakdown(Figures(), {}, {}, {}, {})
    # GROUPING() bits, most significant first: owner, channel, tier, week (1 = rolled up).
    tables = {0b0111: ("by_owner", 1), 0b1011: ("by_channel", 2), 0b1101: ("by_tier", 3), 0b1110: ("by_week", 4)}
    for row in rows:
        values = row[5:]
        figures = Figures()
        for index, kind in enumerate(KINDS):
            count, met, percentiles = values[index * 3 : index * 3 + 3]
            p50, p90 = (_rounded(value) for value in percentiles) if percentiles else (None, None)
            setattr(figures, kind, KindFigures(count=count, met=met, p50=p50, p90=p90))
        if row[0] == 0b1111:
            breakdown.total = figures
        else:
            attribute, column = tables[row[0]]
            getattr(breakdown, attribute)[row[column]] = figures
    return breakdown


def _python_breakdown(*, filters: DashboardFilters, start, end) -> ResponseBreakdown:
    """The exact fallback for databases without percentile_cont (SQLite in `make run`)."""
    waits = ResponseWait.objects.filter(
        closed_reason=ResponseWait.ClosedReason.ANSWERED, closed_at__gte=start, closed_at__lt=end
    )
    waits = filter_waits(waits, filters).values_list(
        "owner_id",
        "channel",
        "client__response_tier",
        "closed_at",
        "kind",
        BASIS_COLUMNS[filters.basis],
        "met_target",
    )
    groups: dict[tuple, dict[str, list]] = {}
    for owner_id, channel, tier, closed_at, kind, seconds, met in waits:
        for key in [("total", None), ("owner", owner_id), ("channel", channel), ("tier", tier)] + [
            ("week", week_start(closed_at))
        ]:
            groups.setdefault(key, {"first": [], "next": []})[kind].append((seconds, met))
    breakdown = ResponseBreakdown(Figures(), {}, {}, {}, {})
    for (dimension, value), by_kind in groups.items():
        figures = Figures()
        for kind in KINDS:
            rows = by_kind[kind]
            seconds = [row[0] for row in rows]
            setattr(
                figures,
                kind,
                KindFigures(
                    count=len(rows),
                    met=sum(1 for row in rows if row[1]),
                    p50=_rounded(percentile_cont(seconds, 0.5)),
                    p90=_rounded(percentile_cont(seconds, 0.9)),
                ),
            )
        if dimension == "total":
            breakdown.total = figures
        else:
            getattr(breakdown, f"by_{dimension}")[value] = figures
    return breakdown


def filter_waits(waits, filters: DashboardFilters):
    if filters.owner_id:
        waits = waits.filter(owner_id=filters.owner_id)
    if filters.channel:
        waits = waits.filter(channel=filters.channel)
    if filters.tier:
        waits = waits.filter(client__response_tier=filters.tier)
    return waits


def response_breakdown(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime) -> ResponseBreakdown:
    """Median, p90 and hit rate of first responses and next replies answered in [start, end)."""
    if connection.vendor == "postgresql":
        return _postgres_breakdown(filters=filters, start=start, end=end)
    return _python_breakdown(filters=filters, start=start, end=end)
