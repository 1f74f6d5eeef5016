"""Dashboard figures computed ahead of time: the agency-wide response figures of the long
periods (12, 26 and 52 weeks), which take over a second at a million messages because exact
percentiles need every value. The beat task `dashboard-precompute` runs this every
DASHBOARD_PRECOMPUTE_SECONDS; followups.dashboard.selectors.page_breakdown shows a snapshot only
while it is recent and covers the same weeks, and computes the figures itself otherwise.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import selectors
from .models import DashboardSnapshot


def dashboard_snapshot_refresh(*, period: str, basis: str, now: dt.datetime | None = None) -> DashboardSnapshot:
    """Compute one period's agency-wide figures as of `now` and replace its snapshot.

    Idempotent: two runs at once each write a complete snapshot (the unique period and basis
    makes the second an update), and the newer computation wins.
    """
    now = now or timezone.now()
    filters = selectors.DashboardFilters(period=period, basis=basis)
    start, end = selectors.period_bounds(period=period, now=now)
    breakdown = selectors.response_breakdown(filters=filters, start=start, end=end)
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        period=period,
        basis=basis,
        defaults={"period_start": start, "computed_at": now, "figures": selectors.breakdown_as_json(breakdown)},
    )
    return snapshot


def dashboard_snapshots_refresh(*, now: dt.datetime | None = None) -> int:
    """The beat run: every precomputed period in both bases. Returns how many were written."""
    now = now or timezone.now()
    count = 0
    for period in selectors.PRECOMPUTED_PERIODS:
        for basis in selectors.BASES:
            dashboard_snapshot_refresh(period=period, basis=basis, now=now)
            count += 1
    return count
