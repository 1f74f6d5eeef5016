"""Post-sale care figures on the dashboard: happiness and check-ins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate

from ...care.dates import overdue_from
from ...care.models import Checkin
from ...care.selectors import happiness
from ...conversations.business_calendar import Calendar
from .filters import DashboardFilters


def care_figures(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime, owner=None) -> dict:
    """Happiness from the care feature's selector (one query); its owner is a user or None."""
    return happiness(start=start, end=end, owner=owner, channel=filters.channel or None, tier=filters.tier or None)


@dataclass
class CheckinFigures:
    on_time: int = 0
    late: int = 0  # done after it became overdue, or still open past that day
    pending: int = 0  # open and not overdue yet: not counted in the rate

    @property
    def on_time_rate(self) -> float | None:
        decided = self.on_time + self.late
        return self.on_time / decided if decided else None


def checkin_figures(
    *, filters: DashboardFilters, start: dt.datetime, end: dt.datetime, calendar: Calendar
) -> CheckinFigures:
    """Check-ins due in the period, done before they turned overdue (one query).

    A check-in turns overdue CHECKIN_OVERDUE_AFTER_DAYS business days after its due date
    (followups.care.dates.overdue_from); skipped ones are left out. The channel filter does
    not apply (check-ins have channels of their own).
    """
    zone = calendar.zone
    today = end.astimezone(zone).date()
    checkins = Checkin.objects.filter(due_on__gte=start.astimezone(zone).date(), due_on__lte=today).exclude(
        status=Checkin.Status.SKIPPED
    )
    if filters.owner_id:
        checkins = checkins.filter(owner_id=filters.owner_id)
    if filters.tier:
        checkins = checkins.filter(client__response_tier=filters.tier)
    groups = (
        checkins.annotate(done_day=TruncDate("done_at", tzinfo=zone))
        .values_list("due_on", "status", "done_day")
        .annotate(n=Count("id"))
        .order_by()
    )
    figures = CheckinFigures()
    overdue_days: dict[dt.date, dt.date] = {}
    for due_on, status, done_day, count in groups:
        if due_on not in overdue_days:
            overdue_days[due_on] = overdue_from(due_on, calendar)
        overdue_day = overdue_days[due_on]
        if status == Checkin.Status.DONE:
            if done_day is not None and done_day < overdue_day:
                figures.on_time += count
            else:
                figures.late += count
        elif today >= overdue_day:
            figures.late += count
        else:
            figures.pending += count
    return figures
