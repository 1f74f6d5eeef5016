"""Business time: the one module every response-clock computation goes through.

A `Calendar` is a pure value (weekly opening hours, a time zone, a holiday country and the
agency's own closure days); the functions below never touch the database, so the reminders and
dashboard code can reuse them freely. `hours.load_calendar()` builds the agency's calendar from
the `BusinessCalendar` singleton and `ClosureDay` rows (two queries); `Calendar.around_the_clock()`
is the 24/7 calendar of policies that ignore opening hours.

Every function takes and returns aware datetimes; opening hours are wall-clock times in the
calendar's zone, so a day that changes to or from daylight-saving time simply has its opening
interval an hour shorter or longer in absolute time. Arithmetic jumps day by day (never minute by
minute); measuring a span adds up whole days from cached per-year running totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from zoneinfo import ZoneInfo

import holidays

# Opening hours of one weekday: (opens, closes) in minutes after local midnight; closes may be
# 1440 (midnight at the end of the day). None means closed all day.
DayHours = tuple[int, int] | None

# A safety net against a calendar that is never open (all weekdays closed): no loop runs longer.
MAX_DAYS = 366 * 5
DEFAULT_WEEKLY_HOURS: tuple[DayHours, ...] = ((540, 1080),) * 5 + (None, None)  # Mon-Fri 09:00-18:00


class NeverOpenError(ValueError):
    """The calendar has no opening time within MAX_DAYS of the given moment."""


@cache
def _national_holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year).keys())


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "Asia/Seoul"
    # Index 0 is Monday, as in date.weekday().
    weekly_hours: tuple[DayHours, ...] = DEFAULT_WEEKLY_HOURS
    # An ISO 3166 country code for the `holidays` package ("KR"); empty means no public holidays.
    country: str = "KR"
    subdivision: str = ""
    closure_days: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self):
        if len(self.weekly_hours) != 7:
            raise ValueError("weekly_hours needs one entry per weekday (Monday first).")
        for hours in self.weekly_hours:
            if hours is not None and not (0 <= hours[0] < hours[1] <= 1440):
                raise ValueError(f"Opening hours {hours} must open before they close, within one day.")
        ZoneInfo(self.time_zone)  # fails loudly on an unknown zone

    @classmethod
    def around_the_clock(cls, time_zone: str = "UTC") -> Calendar:
        """Every minute counts: no opening hours, weekends or holidays."""
        return cls(time_zone=time_zone, weekly_hours=((0, 1440),) * 7, country="", closure_days=frozenset())

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def _intervals(self) -> dict[dt.date, tuple[dt.datetime, dt.datetime] | None]:
        # Each day's opening interval, computed once per calendar value: a page of fifty waits
        # measures each of them up to today, so the same few days come back again and again.
        return {}

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.closure_days or day in _national_holidays(self.country, self.subdivision, day.year)

    def opening_interval(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The aware (opens, closes) of a local calendar day, or None when closed that day."""
        try:
            return self._intervals[day]
        except KeyError:
            pass
        hours = self.weekly_hours[day.weekday()]
        if hours is None or self.is_holiday(day):
            interval = None
        else:
            interval = self._local(day, hours[0]), self._local(day, hours[1])
        self._intervals[day] = interval
        return interval

    def _local(self, day: dt.date, minutes: int) -> dt.datetime:
        if minutes >= 1440:
            day, minutes = day + dt.timedelta(days=1), minutes - 1440
        # Wall-clock time in the zone; zoneinfo resolves the DST offset of that date.
        # Python subtracts two datetimes of the same zone by wall clock, ignoring a DST change,
        # so every computation here happens in UTC.
        local = dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=self.zone)
        return local.astimezone(dt.UTC)

    def _days_from(self, moment: dt.datetime):
        """Opening intervals of the local days from `moment`'s day on (closed days skipped)."""
        day = moment.astimezone(self.zone).date()
        for offset in range(MAX_DAYS):
            interval = self.opening_interval(day + dt.timedelta(days=offset))
            if interval is not None:
                yield interval
        raise NeverOpenError(f"No opening time within {MAX_DAYS} days of {moment.isoformat()}.")


def _require_aware(*moments: dt.datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Business-time functions need aware datetimes.")


def _utc(moment: dt.datetime) -> dt.datetime:
    _require_aware(moment)
    return moment.astimezone(dt.UTC)


def is_open(moment: dt.datetime, calendar: Calendar) -> bool:
    moment = _utc(moment)
    interval = calendar.opening_interval(moment.astimezone(calendar.zone).date())
    return interval is not None and interval[0] <= moment < interval[1]


def next_opening(moment: dt.datetime, calendar: Calendar) -> dt.datetime:
    """`moment` itself when the agency is open then, otherwise the next time it opens (UTC)."""
    moment = _utc(moment)
    for opens, closes in calendar._days_from(moment):
        if moment < closes:
            return max(moment, opens)
    raise NeverOpenError  # pragma: no cover - _days_from raises first


def add_business_minutes(start: dt.datetime, minutes: int, calendar: Calendar) -> dt.datetime:
    """The moment (UTC) `minutes` of opening time after `start` (counting from the next opening)."""
    start = _utc(start)
    if minutes < 0:
        raise ValueError("minutes must not be negative.")
    remaining = dt.timedelta(minutes=minutes)
    cursor = start
    for opens, closes in calendar._days_from(start):
        if closes <= cursor:
            continue
        cursor = max(cursor, opens)
        available = closes - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
    raise NeverOpenError  # pragma: no cover - _days_from raises first


def business_seconds_between(start: dt.datetime, end: dt.datetime, calendar: Calendar) -> int:
    """Seconds of opening time in [start, end); 0 when end is not after start.

    The first and last local days are measured; the whole days between come from per-year running
    totals (`_year_totals`, kept per process), so a wait of a year costs no more than one of a day.
    """
    start, end = _utc(start), _utc(end)
    if end <= start:
        return 0
    first = start.astimezone(calendar.zone).date()
    last = end.astimezone(calendar.zone).date()
    if first == last:
        return _overlap_seconds(calendar.opening_interval(first), start, end)
    return (
        _overlap_seconds(calendar.opening_interval(first), start, end)
        + _whole_days_seconds(calendar, first + dt.timedelta(days=1), last)
        + _overlap_seconds(calendar.opening_interval(last), start, end)
    )


def _overlap_seconds(interval: tuple[dt.datetime, dt.datetime] | None, start: dt.datetime, end: dt.datetime) -> int:
    if interval is None:
        return 0
    overlap = min(end, interval[1]) - max(start, interval[0])
    return int(overlap.total_seconds()) if overlap > dt.timedelta() else 0


def _whole_days_seconds(calendar: Calendar, first: dt.date, stop: dt.date) -> int:
    """Opening seconds of the local days in [first, stop)."""
    if stop <= first:
        return 0
    total = 0
    for year in range(first.year, stop.year):
        total += _year_totals(calendar, year)[-1]
    return (
        total
        + _year_totals(calendar, stop.year)[_day_index(stop)]
        - _year_totals(calendar, first.year)[_day_index(first)]
    )


def _day_index(day: dt.date) -> int:
    return day.timetuple().tm_yday - 1


@lru_cache(maxsize=256)
def _year_totals(calendar: Calendar, year: int) -> tuple[int, ...]:
    """Running totals of a year's opening seconds: item i is the seconds of the days before day
    i (0 = 1 January); the last item is the whole year. Calendars are immutable values, so the
    totals of one never change; a changed calendar is another key."""
    totals = [0]
    day = dt.date(year, 1, 1)
    while day.year == year:
        interval = calendar.opening_interval(day)
        totals.append(totals[-1] + (int((interval[1] - interval[0]).total_seconds()) if interval else 0))
        day += dt.timedelta(days=1)
    return tuple(totals)
