"""Dashboard figures computed ahead of time: the agency-wide response figures of the long
periods (12, 26 and 52 weeks), which take over a second at a million messages because exact
percentiles need every value. The beat task `dashboard-precompute` runs this every
DASHBOARD_PRECOMPUTE_SECONDS; followups.dashboard.selectors.page_breakdown shows a snapshot only
while it is recent and covers the same weeks, and computes the figures itself otherwise.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from clients.models import ResponseTier

from ..conversations.models import Channel
from . import selectors
from .models import DashboardSnapshot


def dashboard_snapshot_refresh(
    *, period: str, basis: str, scope: str = "", now: dt.datetime | None = None
) -> DashboardSnapshot:
    """Compute one period's figures as of `now`, for the agency or one scope ("owner:3",
    "channel:email", "tier:standard"), and replace its snapshot.

    Idempotent: two runs at once each write a complete snapshot (the unique period, basis and
    scope make the second an update), and the newer computation wins.
    """
    now = now or timezone.now()
    filters = selectors.DashboardFilters(period=period, basis=basis, **selectors.scope_filters(scope))
    start, end = selectors.period_bounds(period=period, now=now)
    breakdown = selectors.response_breakdown(filters=filters, start=start, end=end)
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        period=period,
        basis=basis,
        scope=scope,
        defaults={"period_start": start, "computed_at": now, "figures": selectors.breakdown_as_json(breakdown)},
    )
    return snapshot


def snapshot_scopes() -> list[str]:
    """The whole agency, then every active colleague, channel and tier: what the dashboard's
    filters offer one at a time."""
    owners = get_user_model().objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    return [
        "",
        *(f"owner:{pk}" for pk in owners),
        *(f"channel:{value}" for value in Channel.values),
        *(f"tier:{value}" for value in ResponseTier.values),
    ]


def dashboard_snapshots_refresh(*, now: dt.datetime | None = None) -> int:
    """The beat run: every precomputed period in both bases, for the agency and each scope.
    Returns how many were written; snapshots of scopes no longer offered (a colleague who left)
    are removed once too old to be shown."""
    now = now or timezone.now()
    count = 0
    for scope in snapshot_scopes():
        for period in selectors.PRECOMPUTED_PERIODS:
            for basis in selectors.BASES:
                dashboard_snapshot_refresh(period=period, basis=basis, scope=scope, now=now)
                count += 1
    DashboardSnapshot.objects.filter(computed_at__lt=now - selectors.snapshot_max_age()).delete()
    return count
