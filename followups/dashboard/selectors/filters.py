"""The dashboard's filters (allow-lists) and its periods and weeks in the agency's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agency_crm import params as query_params
from clients.models import ResponseTier

from ...conversations.models import Channel

PERIODS = {"1w": 1, "4w": 4, "12w": 12, "26w": 26, "52w": 52}
PERIOD_LABELS = {
    "1w": _("This week"),
    "4w": _("Last 4 weeks"),
    "12w": _("Last 12 weeks"),
    "26w": _("Last 26 weeks"),
    "52w": _("Last 52 weeks"),
}
DEFAULT_PERIOD = "4w"
BASES = {"business": _("Business hours"), "calendar": _("Calendar hours")}
# The stored column of each basis: the only strings ever put into the SQL below.
BASIS_COLUMNS = {"business": "business_seconds", "calendar": "calendar_seconds"}
KINDS = ("first", "next")


@dataclass(frozen=True)
class DashboardFilters:
    period: str = DEFAULT_PERIOD
    basis: str = "business"
    owner_id: int | None = None
    channel: str = ""
    tier: str = ""

    @classmethod
    def from_query(cls, params) -> DashboardFilters:
        return cls(
            period=query_params.choice(params, "period", PERIODS, default=DEFAULT_PERIOD),
            basis=query_params.choice(params, "basis", BASES, default="business"),
            owner_id=query_params.integer(params, "owner"),
            channel=query_params.choice(params, "channel", Channel.values),
            tier=query_params.choice(params, "tier", ResponseTier.values),
        )

    def params(self, **overrides) -> dict:
        values = {
            "period": self.period,
            "basis": self.basis,
            "owner": self.owner_id or "",
            "channel": self.channel,
            "tier": self.tier,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value not in ("", None)}

    def query(self, **overrides) -> str:
        return urlencode(self.params(**overrides))

    def with_values(self, **changes) -> DashboardFilters:
        return replace(self, **changes)


def agency_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def week_start(moment: dt.datetime) -> dt.date:
    """The Monday (agency time zone) of the week `moment` falls in."""
    local = moment.astimezone(agency_zone()).date()
    return local - dt.timedelta(days=local.weekday())


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=agency_zone()).astimezone(dt.UTC)


def period_bounds(*, period: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[start, end): from Monday 00:00 (agency time) of the first of the last N weeks, up to now.

    "Last 4 weeks" is this week so far plus the three weeks before, so the weekly trend has
    exactly N rows.
    """
    weeks = PERIODS[period]
    first_monday = week_start(now) - dt.timedelta(weeks=weeks - 1)
    # Half-open everywhere; one microsecond (the database's resolution) past now includes now.
    return local_midnight(first_monday), now + dt.timedelta(microseconds=1)


def period_weeks(*, start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    monday, last = week_start(start), week_start(end)
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(weeks=1)
    return weeks
