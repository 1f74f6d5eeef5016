"""Waiting now: open waits aged in business time, counted into buckets with SQL comparisons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ...conversations.business_calendar import Calendar, average_open_day_seconds, business_moment_before
from ...conversations.models import ResponseWait
from .filters import DashboardFilters
from .responses import filter_waits


def business_day_seconds(calendar: Calendar) -> int:
    """A "business day" for the ageing buckets: the average opening time of an open weekday."""
    return average_open_day_seconds(calendar)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    short: str  # the chart's axis label
    # Waited at least `low` and less than `high` business seconds (None: unbounded).
    low: int
    high: int | None


def ageing_buckets(calendar: Calendar) -> list[Bucket]:
    day = business_day_seconds(calendar)
    return [
        Bucket("under_1h", _("Under 1 business hour"), _("< 1 h"), 0, 3600),
        Bucket("1_4h", _("1–4 business hours"), _("1–4 h"), 3600, 4 * 3600),
        Bucket("4_8h", _("4–8 business hours"), _("4–8 h"), 4 * 3600, 8 * 3600),
        Bucket("8h_3d", _("8 business hours – 3 business days"), _("8 h – 3 d"), 8 * 3600, 3 * day),
        Bucket("over_3d", _("Over 3 business days"), _("> 3 d"), 3 * day, None),
    ]


@dataclass
class WaitingRow:
    owner_id: int | None
    buckets: list[int]
    overdue: int
    total: int


@dataclass
class WaitingNow:
    buckets: list[Bucket]
    rows: list[WaitingRow]
    total: WaitingRow


def waiting_filter(bucket: Bucket, *, now: dt.datetime, calendar: Calendar) -> Q:
    """Q on ResponseWait.started_at for the open waits whose business age is in the bucket."""
    condition = Q()
    if bucket.low:
        condition &= Q(started_at__lte=business_moment_before(now, bucket.low, calendar))
    if bucket.high is not None:
        condition &= Q(started_at__gt=business_moment_before(now, bucket.high, calendar))
    return condition


def waiting_now(*, filters: DashboardFilters, now: dt.datetime, calendar: Calendar) -> WaitingNow:
    """Open waits per owner in business-age buckets, plus overdue ones (one query)."""
    buckets = ageing_buckets(calendar)
    annotations = {
        f"b{index}": Count("id", filter=waiting_filter(bucket, now=now, calendar=calendar))
        for index, bucket in enumerate(buckets)
    }
    # The open waits: WHERE closed_at IS NULL (partial index wait_open_due_idx covers them).
    waits = filter_waits(ResponseWait.objects.filter(closed_at__isnull=True), filters)
    rows = (
        waits.values("conversation__owner_id")
        .annotate(**annotations, overdue=Count("id", filter=Q(reply_due_at__lt=now)), total=Count("id"))
        .order_by("conversation__owner_id")
    )
    result = [
        WaitingRow(
            owner_id=row["conversation__owner_id"],
            buckets=[row[f"b{index}"] for index in range(len(buckets))],
            overdue=row["overdue"],
            total=row["total"],
        )
        for row in rows
    ]
    total = WaitingRow(
        owner_id=None,
        buckets=[sum(row.buckets[index] for row in result) for index in range(len(buckets))],
        overdue=sum(row.overdue for row in result),
        total=sum(row.total for row in result),
    )
    return WaitingNow(buckets=buckets, rows=result, total=total)
