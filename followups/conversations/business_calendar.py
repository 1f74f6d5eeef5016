"""Business time: the one module every response-clock computation goes through.

A `Calendar` is a pure value (weekly opening hours, a time zone, a holiday country, the agency's
own closure days and extra opening days); the functions below never touch the database, so the
reminders and dashboard code can reuse them freely. `hours.load_calendar()` builds the agency's
calendar from the `BusinessCalendar` singleton and its rows; `Calendar.around_the_clock()` is the
24/7 calendar of policies that ignore opening hours.

A day has any number of opening intervals (09:00-12:00 and 13:00-18:00: a lunch break), and
business time skips every gap between them. Every function takes and returns aware datetimes;
opening hours are wall-clock times in the calendar's zone, so a day that changes to or from
daylight-saving time simply has an interval an hour shorter or longer in absolute time. A wall
time the clocks skip (02:30 on a spring-forward night) opens or closes at the first valid minute
after it (03:00), and a wall time that happens twice (a fall-back night) at its first occurrence:
what a person watching the wall clock would do. Arithmetic jumps interval by interval (never
minute by minute); measuring a span adds up whole days from cached per-year running totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from zoneinfo import ZoneInfo

import holidays

# One opening interval: (opens, closes) in minutes after local midnight; closes may be 1440
# (midnight at the end of the day).
Interval = tuple[int, int]
# The opening intervals of one day, in order and not overlapping; empty means closed all day.
DayHours = tuple[Interval, ...]
# What an aware day looks like: its (opens, closes) instants in UTC, in order.
DayIntervals = tuple[tuple[dt.datetime, dt.datetime], ...]

# A safety net against a calendar that is never open (all weekdays closed): no loop runs longer.
MAX_DAYS = 366 * 5
DEFAULT_WEEKLY_HOURS: tuple[DayHours, ...] = (((540, 1080),),) * 5 + ((), ())  # Mon-Fri 09:00-18:00


class NeverOpenError(ValueError):
    """The calendar has no opening time within MAX_DAYS of the given moment."""


@cache
def _national_holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=year).keys())


def day_hours(value) -> DayHours:
    """Normalise one day's hours: None or () is closed, a bare (opens, closes) pair is one
    interval, otherwise a sequence of pairs. Raises ValueError on an interval that does not open
    before it closes within the day, or on intervals that overlap."""
    if not value:
        return ()
    if len(value) == 2 and all(isinstance(v, int) for v in value):
        value = (value,)
    intervals = tuple(sorted((int(opens), int(closes)) for opens, closes in value))
    for opens, closes in intervals:
        if not (0 <= opens < closes <= 1440):
            raise ValueError(f"Opening hours {(opens, closes)} must open before they close, within one day.")
    for (_o, previous_closes), (opens, _c) in zip(intervals, intervals[1:], strict=False):
        if opens < previous_closes:
            raise ValueError(f"Opening intervals {intervals} overlap.")
    return intervals


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "Asia/Seoul"
    # Index 0 is Monday, as in date.weekday(). Each entry is normalised by day_hours().
    weekly_hours: tuple[DayHours, ...] = DEFAULT_WEEKLY_HOURS
    # An ISO 3166 country code for the `holidays` package ("KR"); empty means no public holidays.
    country: str = "KR"
    subdivision: str = ""
    closure_days: frozenset[dt.date] = field(default_factory=frozenset)
    # Days the agency opens although the week or a public holiday says closed (a Saturday
    # make-up day), with their own hours: ((date, DayHours), ...). A closure day still wins.
    extra_days: tuple[tuple[dt.date, DayHours], ...] = ()

    def __post_init__(self):
        if len(self.weekly_hours) != 7:
            raise ValueError("weekly_hours needs one entry per weekday (Monday first).")
        # Frozen: normalise through object.__setattr__ so equal calendars compare (and cache) equal.
        object.__setattr__(self, "weekly_hours", tuple(day_hours(hours) for hours in self.weekly_hours))
        object.__setattr__(self, "extra_days", tuple(sorted((day, day_hours(hours)) for day, hours in self.extra_days)))
        ZoneInfo(self.time_zone)  # fails loudly on an unknown zone

    @classmethod
    def around_the_clock(cls, time_zone: str = "UTC") -> Calendar:
        """Every minute counts: no opening hours, weekends or holidays."""
        return cls(time_zone=time_zone, weekly_hours=(((0, 1440),),) * 7, country="", closure_days=frozenset())

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def _extra(self) -> dict[dt.date, DayHours]:
        return dict(self.extra_days)

    @cached_property
    def _intervals(self) -> dict[dt.date, DayIntervals]:
        # Each day's opening intervals, computed once per calendar value: a page of fifty waits
        # measures each of them up to today, so the same few days come back again and again.
        return {}

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.closure_days or day in _national_holidays(self.country, self.subdivision, day.year)

    def day_hours(self, day: dt.date) -> DayHours:
        """The wall-clock opening intervals of a local calendar day (empty when closed)."""
        if day in self.closure_days:
            return ()
        if day in self._extra:
            return self._extra[day]
        if day in _national_holidays(self.country, self.subdivision, day.year):
            return ()
        return self.weekly_hours[day.weekday()]

    def opening_intervals(self, day: dt.date) -> DayIntervals:
        """The aware (opens, closes) instants (UTC) of a local calendar day; empty when closed."""
        try:
            return self._intervals[day]
        except KeyError:
            pass
        intervals = []
        for opens, closes in self.day_hours(day):
            start, end = self._local(day, opens), self._local(day, closes)
            if start < end:  # an interval wholly inside a spring-forward gap never opens
                intervals.append((start, end))
        self._intervals[day] = result = tuple(intervals)
        return result

    def is_open_day(self, day: dt.date) -> bool:
        return bool(self.opening_intervals(day))

    def _local(self, day: dt.date, minutes: int) -> dt.datetime:
        if minutes >= 1440:
            day, minutes = day + dt.timedelta(days=1), minutes - 1440
        # Python subtracts two datetimes of the same zone by wall clock, ignoring a DST change,
        # so every computation here happens in UTC.
        wall = dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)
        moment = wall.replace(tzinfo=self.zone).astimezone(dt.UTC)  # fold=0: the first occurrence
        if moment.astimezone(self.zone).replace(tzinfo=None) == wall:
            return moment
        # The clocks skip this wall time: the first instant whose wall time is at or after it is
        # the transition itself, between the reading with the later offset (fold=1, earlier in
        # UTC) and the one with the earlier offset. Bisect on seconds (a dozen steps).
        low = wall.replace(tzinfo=self.zone, fold=1).astimezone(dt.UTC)
        high = moment
        while high - low > dt.timedelta(seconds=1):
            middle = low + (high - low) / 2
            middle = middle.replace(microsecond=0)
            if middle.astimezone(self.zone).replace(tzinfo=None) >= wall:
                high = middle
            else:
                low = middle
        return high

    def _days_from(self, moment: dt.datetime):
        """Opening intervals of the local days from `moment`'s day on, in order (closed days skipped)."""
        day = moment.astimezone(self.zone).date()
        for offset in range(MAX_DAYS):
            yield from self.opening_intervals(day + dt.timedelta(days=offset))
        raise NeverOpenError(f"No opening time within {MAX_DAYS} days of {moment.isoformat()}.")

    def _days_before(self, moment: dt.datetime):
        """Opening intervals of the local days from `moment`'s day back, latest first."""
        day = moment.astimezone(self.zone).date()
        for offset in range(MAX_DAYS):
            yield from reversed(self.opening_intervals(day - dt.timedelta(days=offset)))
        raise NeverOpenError(f"No opening time within {MAX_DAYS} days before {moment.isoformat()}.")


def _require_aware(*moments: dt.datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("Business-time functions need aware datetimes.")


def _utc(moment: dt.datetime) -> dt.datetime:
    _require_aware(moment)
    return moment.astimezone(dt.UTC)


def is_open(moment: dt.datetime, calendar: Calendar) -> bool:
    moment = _utc(moment)
    day = moment.astimezone(calendar.zone).date()
    # The previous day's last interval may close at its midnight, which is this day's 00:00.
    return any(opens <= moment < closes for opens, closes in calendar.opening_intervals(day))


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


def business_moment_before(end: dt.datetime, seconds: int, calendar: Calendar) -> dt.datetime:
    """The latest moment T with exactly `seconds` of opening time in [T, end).

    A wait that started after T has waited less than `seconds` business seconds; one that
    started at or before T has waited at least that long.
    """
    end = _utc(end)
    remaining = dt.timedelta(seconds=seconds)
    for opens, closes in calendar._days_before(end):
        if opens >= end:
            continue
        closes = min(closes, end)
        available = closes - opens
        if remaining <= available:
            return closes - remaining
        remaining -= available
    raise NeverOpenError  # pragma: no cover - _days_before raises first


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
        return _overlap_seconds(calendar.opening_intervals(first), start, end)
    return (
        _overlap_seconds(calendar.opening_intervals(first), start, end)
        + _whole_days_seconds(calendar, first + dt.timedelta(days=1), last)
        + _overlap_seconds(calendar.opening_intervals(last), start, end)
    )


def _overlap_seconds(intervals: DayIntervals, start: dt.datetime, end: dt.datetime) -> int:
    total = 0
    for opens, closes in intervals:
        overlap = min(end, closes) - max(start, opens)
        if overlap > dt.timedelta():
            total += int(overlap.total_seconds())
    return total


def _day_seconds(intervals: DayIntervals) -> int:
    return sum(int((closes - opens).total_seconds()) for opens, closes in intervals)


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
        totals.append(totals[-1] + _day_seconds(calendar.opening_intervals(day)))
        day += dt.timedelta(days=1)
    return tuple(totals)


def average_open_day_seconds(calendar: Calendar) -> int:
    """The average opening time of an open weekday (the dashboard's "business day")."""
    open_days = [sum(closes - opens for opens, closes in hours) for hours in calendar.weekly_hours if hours]
    return round(sum(open_days) / len(open_days) * 60) if open_days else 24 * 3600
