"""Business time with several opening intervals a day (a lunch break), half days, closures, extra
opening days and daylight-saving changes, against an independent minute-by-minute count.

The count watches the wall clock as a person would: on each local date it opens the door the
first time the clock shows the opening time or later, and closes it the first time it shows the
closing time or later. So an opening time the clocks skip (02:30 on a spring-forward night in New
York) opens at 03:00, and a wall time that happens twice (a fall-back night) counts once.
"""

import bisect
import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from followups.conversations.business_calendar import (
    Calendar,
    add_business_minutes,
    business_moment_before,
    business_seconds_between,
    is_open,
    next_opening,
)

UTC = dt.UTC
SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
LUNCH = ((540, 720), (780, 1080))  # 09:00-12:00 and 13:00-18:00


def seoul(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


def new_york(*args):
    return dt.datetime(*args, tzinfo=NEW_YORK)


class MinuteCount:
    """Open minutes of a calendar in [begin, stop), counted one UTC minute at a time from the wall
    clock alone (none of the module's interval arithmetic), with prefix sums for O(1) spans."""

    def __init__(self, calendar: Calendar, begin: dt.datetime, stop: dt.datetime):
        self.begin = begin
        zone = ZoneInfo(calendar.time_zone)
        open_flags = []
        date, highest, hours = None, -1, ()
        moment = begin
        while moment < stop:
            wall = moment.astimezone(zone)
            if wall.date() != date:
                date, highest = wall.date(), -1
                hours = self._hours(calendar, date)
            # The latest wall time this date has shown: after a fall-back the clock shows 01:00
            # again, but the door opened (or closed) at the first 01:00 already.
            highest = max(highest, wall.hour * 60 + wall.minute)
            open_flags.append(any(opens <= highest < closes for opens, closes in hours))
            moment += dt.timedelta(minutes=1)
        self.flags = open_flags
        self.prefix = [0]
        for flag in open_flags:
            self.prefix.append(self.prefix[-1] + flag)

    @staticmethod
    def _hours(calendar: Calendar, date: dt.date):
        import holidays

        if date in calendar.closure_days:
            return ()
        extra = dict(calendar.extra_days)
        if date in extra:
            return extra[date]
        if calendar.country and date in holidays.country_holidays(
            calendar.country, subdiv=calendar.subdivision or None, years=date.year
        ):
            return ()
        return calendar.weekly_hours[date.weekday()]

    def index(self, moment: dt.datetime) -> int:
        return int((moment - self.begin).total_seconds() // 60)

    def seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        if end <= start:
            return 0
        return (self.prefix[self.index(end)] - self.prefix[self.index(start)]) * 60

    def is_open(self, moment: dt.datetime) -> bool:
        return self.flags[self.index(moment)]

    def moment_after(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The end of the `minutes`-th open minute from start (the first open minute for 0)."""
        first = self.index(start)
        if minutes == 0:
            position = bisect.bisect_right(self.prefix, self.prefix[first])  # first open minute's end
            return self.begin + dt.timedelta(minutes=position - 1)
        position = bisect.bisect_left(self.prefix, self.prefix[first] + minutes)
        return self.begin + dt.timedelta(minutes=position)


BEGIN = dt.datetime(2025, 10, 1, tzinfo=UTC)
STOP = dt.datetime(2026, 12, 1, tzinfo=UTC)

CALENDARS = {
    # A Korean agency with a lunch break, Saturday half days and a closure of its own.
    "seoul-lunch-half-days": Calendar(
        time_zone="Asia/Seoul",
        country="KR",
        weekly_hours=(LUNCH,) * 5 + (((600, 780),), ()),
        closure_days=frozenset({dt.date(2025, 12, 26), dt.date(2026, 7, 31)}),
        extra_days=((dt.date(2026, 1, 3), ((600, 720),)), (dt.date(2026, 10, 5), LUNCH)),  # a Saturday, Chuseok
    ),
    # New York with its DST changes: every day opens in the small hours, on the spring-forward
    # night inside the skipped hour (02:30), and closes across the repeated hour in November;
    # three intervals a day, one of them up to midnight.
    "new-york-dst": Calendar(
        time_zone="America/New_York",
        country="US",
        weekly_hours=(((150, 240), (540, 720), (780, 1440)),) * 7,
        closure_days=frozenset({dt.date(2025, 12, 24)}),
    ),
    # Short intervals around the fall-back hour itself, and one wholly inside the skipped hour.
    "new-york-edges": Calendar(
        time_zone="America/New_York",
        country="",
        weekly_hours=(((30, 90), (120, 135), (1410, 1440)),) * 7,
    ),
}


@pytest.fixture(scope="module", params=sorted(CALENDARS))
def counted(request):
    calendar = CALENDARS[request.param]
    return calendar, MinuteCount(calendar, BEGIN, STOP)


# Forty days from either end of the counted window: the longest target of the tests, counted
# backwards or forwards on the sparsest calendar, stays inside it.
def _random_moment(rng, low=BEGIN + dt.timedelta(days=40), high=STOP - dt.timedelta(days=40)) -> dt.datetime:
    return low + dt.timedelta(minutes=rng.randrange(0, int((high - low).total_seconds() // 60)))


def test_business_seconds_agree_with_the_minute_count_over_random_pairs(counted):
    calendar, count = counted
    rng = random.Random(20261207)
    disagreements = []
    for _ in range(3000):
        start = _random_moment(rng)
        end = start + dt.timedelta(minutes=rng.choice([rng.randrange(0, 900), rng.randrange(0, 60 * 24 * 300)]))
        end = min(end, STOP - dt.timedelta(minutes=1))
        if business_seconds_between(start, end, calendar) != count.seconds(start, end):
            disagreements.append((start, end))
    assert disagreements == [], disagreements[:6]


def test_due_times_open_checks_and_next_openings_agree_with_the_minute_count(counted):
    calendar, count = counted
    rng = random.Random(7)
    disagreements = []
    for _ in range(3000):
        start = _random_moment(rng)
        minutes = rng.choice([0, rng.randrange(1, 120), rng.randrange(1, 60 * 40)])
        if add_business_minutes(start, minutes, calendar) != count.moment_after(start, minutes):
            disagreements.append(("add", start, minutes))
        if is_open(start, calendar) != count.is_open(start):
            disagreements.append(("open", start))
        if next_opening(start, calendar) != count.moment_after(start, 0):
            disagreements.append(("next", start))
        if minutes:
            moment = business_moment_before(start, minutes * 60, calendar)
            # The latest such moment: the minute it starts is open (a minute later has less).
            if count.seconds(moment, start) != minutes * 60 or not count.is_open(moment):
                disagreements.append(("before", start, minutes))
    assert disagreements == [], disagreements[:6]


def test_the_dst_pairs_do_cross_both_changes():
    # The random pairs above must include the nights that matter, or they prove nothing about them.
    calendar = CALENDARS["new-york-dst"]
    count = MinuteCount(calendar, dt.datetime(2026, 3, 7, tzinfo=UTC), dt.datetime(2026, 3, 10, tzinfo=UTC))
    night = (new_york(2026, 3, 8, 1, 0), new_york(2026, 3, 8, 5, 0))
    assert business_seconds_between(*night, calendar) == count.seconds(*night) == 60 * 60  # 03:00-04:00 EDT


def test_an_opening_time_inside_the_spring_forward_gap_opens_at_the_first_valid_minute():
    calendar = CALENDARS["new-york-dst"]
    # Sunday 8 March 2026: the clocks jump from 02:00 EST to 03:00 EDT, so 02:30 never happens.
    assert next_opening(new_york(2026, 3, 8, 1, 0), calendar) == new_york(2026, 3, 8, 3, 0)
    assert next_opening(new_york(2026, 3, 8, 1, 0), calendar).astimezone(UTC) == dt.datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )
    assert is_open(new_york(2026, 3, 8, 3, 0), calendar)
    # Not an hour late (03:30 EDT, what 02:30 EST would be).
    assert add_business_minutes(new_york(2026, 3, 8, 1, 0), 30, calendar) == new_york(2026, 3, 8, 3, 30)
    # An interval wholly inside the skipped hour (02:00-02:15) never opens that night.
    edges = CALENDARS["new-york-edges"]
    assert next_opening(new_york(2026, 3, 8, 1, 45), edges) == new_york(2026, 3, 8, 23, 30)


def test_the_repeated_hour_of_a_fall_back_night_counts_once_when_closed_in_it():
    edges = CALENDARS["new-york-edges"]
    # Sunday 1 November 2026: 01:00-02:00 happens twice. Open 00:30-01:30: 60 minutes (first 01:30).
    night = (new_york(2026, 11, 1, 0, 0), new_york(2026, 11, 1, 3, 0))
    assert business_seconds_between(*night, edges) == 60 * 60 + 15 * 60


def test_a_customer_message_at_1150_with_a_30_minute_target_is_due_at_1320_over_lunch():
    calendar = Calendar(time_zone="Asia/Seoul", country="KR", weekly_hours=(LUNCH,) * 5 + ((), ()))
    monday = seoul(2026, 12, 7, 11, 50)
    assert add_business_minutes(monday, 30, calendar) == seoul(2026, 12, 7, 13, 20)
    assert business_seconds_between(monday, seoul(2026, 12, 7, 13, 20), calendar) == 30 * 60
    assert not is_open(seoul(2026, 12, 7, 12, 30), calendar)
    assert next_opening(seoul(2026, 12, 7, 12, 0), calendar) == seoul(2026, 12, 7, 13, 0)
    # A day of lunch breaks is 8 business hours, not 9.
    assert business_seconds_between(seoul(2026, 12, 7, 0, 0), seoul(2026, 12, 8, 0, 0), calendar) == 8 * 3600


def test_an_extra_opening_day_opens_and_a_closure_wins_over_it():
    saturday = dt.date(2026, 1, 3)
    calendar = CALENDARS["seoul-lunch-half-days"]
    assert calendar.day_hours(saturday) == ((600, 720),)  # not the Saturday's usual 10:00-13:00
    both = Calendar(
        time_zone="Asia/Seoul", country="", closure_days=frozenset({saturday}), extra_days=((saturday, LUNCH),)
    )
    assert both.opening_intervals(saturday) == ()


def test_overlapping_or_backwards_intervals_are_refused():
    with pytest.raises(ValueError):
        Calendar(weekly_hours=(((540, 780), (720, 1080)),) * 7)
    with pytest.raises(ValueError):
        Calendar(weekly_hours=(((540, 720), (780, 780)),) * 7)


def test_a_year_of_business_time_with_lunch_breaks_is_measured_from_cached_year_totals():
    # Speed is measured in make bench, not here: what keeps it fast is that measuring a span adds
    # up cached per-year running totals instead of walking it minute by minute or day by day.
    from followups.conversations.business_calendar import _year_totals

    calendar = CALENDARS["seoul-lunch-half-days"]
    due = add_business_minutes(seoul(2026, 1, 5, 9, 0), 250 * 480, calendar)
    assert business_seconds_between(seoul(2026, 1, 5, 9, 0), due, calendar) == 250 * 480 * 60
    computed = _year_totals.cache_info().misses
    for _ in range(1000):
        business_seconds_between(seoul(2026, 1, 5, 9, 0), due, calendar)
    assert _year_totals.cache_info().misses == computed
