"""The long periods' figures computed ahead of time (beat) and read back, or computed live when stale."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from ..models import DashboardSnapshot
from .filters import KINDS, DashboardFilters
from .responses import Figures, KindFigures, ResponseBreakdown, response_breakdown

# Exact percentiles need every value of the period: 52 weeks at 1,000,000 messages take over a
# second however they are indexed. The beat task `dashboard-precompute` stores the agency-wide
# figures of these periods (followups.services_dashboard); the page shows them with their age.
PRECOMPUTED_PERIODS = ("12w", "26w", "52w")


def _kind_as_json(figures: KindFigures) -> list:
    return [figures.count, figures.met, figures.p50, figures.p90]


def _figures_as_json(figures: Figures) -> dict:
    return {kind: _kind_as_json(getattr(figures, kind)) for kind in KINDS}


def _figures_from_json(data: dict) -> Figures:
    return Figures(**{kind: KindFigures(*data[kind]) for kind in KINDS})


def breakdown_as_json(breakdown: ResponseBreakdown) -> dict:
    return {
        "total": _figures_as_json(breakdown.total),
        "by_owner": [[key, _figures_as_json(value)] for key, value in breakdown.by_owner.items()],
        "by_channel": [[key, _figures_as_json(value)] for key, value in breakdown.by_channel.items()],
        "by_tier": [[key, _figures_as_json(value)] for key, value in breakdown.by_tier.items()],
        "by_week": [[key.isoformat(), _figures_as_json(value)] for key, value in breakdown.by_week.items()],
    }


def breakdown_from_json(data: dict) -> ResponseBreakdown:
    def groups(name, key=lambda value: value):
        return {key(value): _figures_from_json(figures) for value, figures in data[name]}

    return ResponseBreakdown(
        total=_figures_from_json(data["total"]),
        by_owner=groups("by_owner"),
        by_channel=groups("by_channel"),
        by_tier=groups("by_tier"),
        by_week=groups("by_week", dt.date.fromisoformat),
    )


def snapshot_max_age() -> dt.timedelta:
    """A snapshot older than this is not shown (the beat task is late or stopped): the page
    computes the figures itself instead, slowly but never stale."""
    return dt.timedelta(seconds=2 * settings.DASHBOARD_PRECOMPUTE_SECONDS + 60)


# The filters a snapshot may stand for: one at a time (a combination is computed live).
SCOPE_FILTERS = {"owner": "owner_id", "channel": "channel", "tier": "tier"}


def snapshot_scope(filters: DashboardFilters) -> str | None:
    """The scope of the snapshot that holds these filters' figures: "" for none, "owner:3" for
    one, None for a combination (never precomputed)."""
    chosen = [f"{name}:{getattr(filters, field)}" for name, field in SCOPE_FILTERS.items() if getattr(filters, field)]
    if len(chosen) > 1:
        return None
    return chosen[0] if chosen else ""


def scope_filters(scope: str) -> dict:
    """DashboardFilters keyword arguments of a scope ("owner:3" -> {"owner_id": 3})."""
    if not scope:
        return {}
    name, value = scope.split(":", 1)
    field = SCOPE_FILTERS[name]
    return {field: int(value) if field == "owner_id" else value}


def page_breakdown(
    *, filters: DashboardFilters, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> tuple[ResponseBreakdown, dt.datetime | None]:
    """The response figures for the page, and the moment they were computed when they come from
    a snapshot (None: computed now). A snapshot is used for an agency-wide long period when it is
    recent and covers the same weeks (after Monday 00:00 a new week starts the period), for the
    whole agency or one owner, channel or tier."""
    scope = snapshot_scope(filters)
    if filters.period in PRECOMPUTED_PERIODS and scope is not None:
        snapshot = (
            DashboardSnapshot.objects.filter(
                period=filters.period,
                basis=filters.basis,
                scope=scope,
                period_start=start,
                computed_at__gte=now - snapshot_max_age(),
                computed_at__lte=end,
            )
            .only("computed_at", "figures")
            .first()
        )
        if snapshot is not None:
            return breakdown_from_json(snapshot.figures), snapshot.computed_at
    return response_breakdown(filters=filters, start=start, end=end), None
