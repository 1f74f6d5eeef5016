"""Calendar dates of post-sale care: plan due dates, "today" in the agency's zone, business days."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.conf import settings
from django.utils import timezone

from ..conversations.business_calendar import Calendar
from .models import (
    CheckinPlan,
)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def checkin_due_dates(*, plan: CheckinPlan, started_on: dt.date, calendar: Calendar, count: int = 1) -> list:
    """(sequence, due date) of a plan's check-ins; repeating plans give their first `count`."""
    if plan.repeat_every_months:
        raw = [(n, add_months(started_on, plan.repeat_every_months * n)) for n in range(1, count + 1)]
    else:
        raw = [(n, started_on + dt.timedelta(days=days)) for n, days in enumerate(plan.offsets_days, start=1)]
    return [(n, next_business_day(day, calendar)) for n, day in raw]


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def next_business_day(day: dt.date, calendar: Calendar) -> dt.date:
    """`day` itself when the agency is open that day, otherwise the next day it opens."""
    for offset in range(366 * 2):
        candidate = day + dt.timedelta(days=offset)
        if calendar.is_open_day(candidate):
            return candidate
    return day


def overdue_from(due_on: dt.date, calendar: Calendar) -> dt.date:
    """The first day a check-in due on `due_on` counts as overdue without an outcome:
    CHECKIN_OVERDUE_AFTER_DAYS business days after its due date."""
    day = due_on
    for _i in range(settings.CHECKIN_OVERDUE_AFTER_DAYS):
        day = next_business_day(day + dt.timedelta(days=1), calendar)
    return day


def last_due_overdue_by(day: dt.date, calendar: Calendar) -> dt.date:
    """The latest due date whose check-in is overdue on `day` (pure calendar arithmetic)."""
    candidate = day
    while overdue_from(candidate, calendar) > day:
        candidate -= dt.timedelta(days=1)
    return candidate
