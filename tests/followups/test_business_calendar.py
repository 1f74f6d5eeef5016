"""Business-time arithmetic against hand-computed cases (hours 09:00-18:00 unless stated)."""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from followups.conversations.business_calendar import (
    Calendar,
    NeverOpenError,
    add_business_minutes,
    business_seconds_between,
    is_open,
    next_opening,
)
from followups.conversations.hours import load_calendar
from followups.models import ClosureDay, OpeningInterval

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC
KOREA = Calendar(time_zone="Asia/Seoul", country="KR")


def seoul(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


def test_holidays_package_knows_seollal_chuseok_and_substitute_holidays():
    kr_2025 = holidays.country_holidays("KR", years=2025)
    kr_2026 = holidays.country_holidays("KR", years=2026)
    assert {dt.date(2025, 1, 28), dt.date(2025, 1, 29), dt.date(2025, 1, 30)} <= set(kr_2025)  # Seollal
    assert {dt.date(2025, 10, 6), dt.date(2025, 10, 7)} <= set(kr_2025)  # Chuseok
    assert dt.date(2025, 10, 8) in kr_2025  # substitute for Chuseok falling on a Sunday
    assert dt.date(2025, 5, 6) in kr_2025  # substitute for Children's Day / Buddha's Birthday
    assert {dt.date(2026, 2, 16), dt.date(2026, 2, 17), dt.date(2026, 2, 18)} <= set(kr_2026)
    assert dt.date(2026, 3, 2) in kr_2026  # substitute for Independence Movement Day (a Sunday)
    assert all(KOREA.is_holiday(day) for day in [dt.date(2025, 10, 8), dt.date(2026, 2, 17), dt.date(2026, 3, 2)])
    assert not KOREA.is_holiday(dt.date(2025, 11, 19))


def test_overnight_carries_the_rest_to_the_next_morning():
    # Tuesday 17:00 + 2h: one hour on Tuesday, one on Wednesday from 09:00.
    assert add_business_minutes(seoul(2025, 11, 18, 17, 0), 120, KOREA) == seoul(2025, 11, 19, 10, 0)
    assert business_seconds_between(seoul(2025, 11, 18, 17, 0), seoul(2025, 11, 19, 10, 0), KOREA) == 7200


def test_friday_evening_message_with_four_hour_target_is_due_monday_midday():
    due = add_business_minutes(seoul(2025, 11, 21, 17, 30), 240, KOREA)
    assert due == seoul(2025, 11, 24, 12, 30)
    assert business_seconds_between(seoul(2025, 11, 21, 17, 30), due, KOREA) == 4 * 3600


def test_message_at_night_or_weekend_starts_counting_at_the_next_opening():
    assert add_business_minutes(seoul(2025, 11, 22, 11, 0), 60, KOREA) == seoul(2025, 11, 24, 10, 0)  # Saturday
    assert add_business_minutes(seoul(2025, 11, 18, 6, 0), 30, KOREA) == seoul(2025, 11, 18, 9, 30)
    assert add_business_minutes(seoul(2025, 11, 18, 21, 0), 0, KOREA) == seoul(2025, 11, 19, 9, 0)


def test_chuseok_week_with_its_substitute_holiday_is_skipped():
    # Thu 2 Oct 2025 17:00 + 2h: one hour Thursday; Fri 3 (National Foundation Day), the weekend,
    # Mon 6 and Tue 7 (Chuseok), Wed 8 (substitute holiday) and Thu 9 (Hangul Day) are closed.
    assert add_business_minutes(seoul(2025, 10, 2, 17, 0), 120, KOREA) == seoul(2025, 10, 10, 10, 0)


def test_message_on_a_substitute_holiday_counts_from_the_next_working_morning():
    # Tue 6 May 2025 is the substitute holiday for Children's Day / Buddha's Birthday.
    assert not is_open(seoul(2025, 5, 6, 11, 0), KOREA)
    assert next_opening(seoul(2025, 5, 6, 11, 0), KOREA) == seoul(2025, 5, 7, 9, 0)
    assert add_business_minutes(seoul(2025, 5, 6, 11, 0), 240, KOREA) == seoul(2025, 5, 7, 13, 0)
    # Mon 2 Mar 2026 is the substitute for Independence Movement Day (Sunday 1 March).
    assert add_business_minutes(seoul(2026, 2, 27, 17, 0), 120, KOREA) == seoul(2026, 3, 3, 10, 0)


def test_seollal_2026():
    # Fri 13 Feb 17:00 + 4h: one hour Friday, then Mon-Wed 16-18 Feb are Seollal; Thursday 09:00 + 3h.
    assert add_business_minutes(seoul(2026, 2, 13, 17, 0), 240, KOREA) == seoul(2026, 2, 19, 12, 0)
    assert business_seconds_between(seoul(2026, 2, 13, 9, 0), seoul(2026, 2, 20, 9, 0), KOREA) == 2 * 9 * 3600


def test_agency_closure_day_is_skipped():
    calendar = Calendar(time_zone="Asia/Seoul", country="KR", closure_days=frozenset({dt.date(2025, 11, 19)}))
    assert add_business_minutes(seoul(2025, 11, 18, 17, 0), 120, calendar) == seoul(2025, 11, 20, 10, 0)
    assert business_seconds_between(seoul(2025, 11, 18, 17, 0), seoul(2025, 11, 20, 10, 0), calendar) == 7200


def test_new_york_daylight_saving_start_in_march():
    calendar = Calendar(time_zone="America/New_York", country="US")
    friday = dt.datetime(2026, 3, 6, 17, 0, tzinfo=NEW_YORK)  # 22:00 UTC (EST, -5)
    due = add_business_minutes(friday, 120, calendar)
    # Monday 9 March 10:00 is EDT (-4) after the switch on Sunday 8 March: 14:00 UTC.
    assert due == dt.datetime(2026, 3, 9, 10, 0, tzinfo=NEW_YORK)
    assert due.astimezone(UTC) == dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert (due - friday.astimezone(UTC)).total_seconds() == 64 * 3600  # not 65: the clocks jumped forward
    assert business_seconds_between(friday, due, calendar) == 7200


def test_new_york_daylight_saving_end_in_november():
    calendar = Calendar(time_zone="America/New_York", country="US")
    friday = dt.datetime(2026, 10, 30, 17, 0, tzinfo=NEW_YORK)  # EDT, 21:00 UTC
    monday = dt.datetime(2026, 11, 2, 10, 0, tzinfo=NEW_YORK)  # EST, 15:00 UTC
    assert add_business_minutes(friday, 120, calendar) == monday
    assert (
        monday.astimezone(UTC) - friday.astimezone(UTC)
    ).total_seconds() == 66 * 3600  # the clocks went back an hour
    assert business_seconds_between(friday, monday, calendar) == 7200


def test_around_the_clock_counts_absolute_time_across_a_dst_change():
    calendar = Calendar.around_the_clock("America/New_York")
    start = dt.datetime(2026, 3, 8, 0, 0, tzinfo=NEW_YORK)
    end = dt.datetime(2026, 3, 9, 0, 0, tzinfo=NEW_YORK)
    assert business_seconds_between(start, end, calendar) == 23 * 3600  # the short day
    assert add_business_minutes(start, 24 * 60, calendar) == dt.datetime(2026, 3, 9, 1, 0, tzinfo=NEW_YORK)
    assert is_open(dt.datetime(2025, 10, 6, 3, 0, tzinfo=SEOUL), Calendar.around_the_clock("Asia/Seoul"))


def test_business_seconds_between_clips_to_opening_hours():
    assert business_seconds_between(seoul(2025, 11, 17, 8, 0), seoul(2025, 11, 17, 20, 0), KOREA) == 9 * 3600
    assert business_seconds_between(seoul(2025, 11, 17, 20, 0), seoul(2025, 11, 17, 8, 0), KOREA) == 0
    # Utc input is the same instant: Monday 10:00 KST is 01:00 UTC.
    start = dt.datetime(2025, 11, 17, 1, 0, tzinfo=UTC)
    assert business_seconds_between(start, seoul(2025, 11, 17, 11, 0), KOREA) == 3600


def test_is_open_and_next_opening_at_the_edges():
    assert is_open(seoul(2025, 11, 17, 9, 0), KOREA)
    assert not is_open(seoul(2025, 11, 17, 18, 0), KOREA)
    assert next_opening(seoul(2025, 11, 17, 12, 0), KOREA) == seoul(2025, 11, 17, 12, 0)
    assert next_opening(seoul(2025, 11, 17, 18, 0), KOREA) == seoul(2025, 11, 18, 9, 0)


def test_naive_datetimes_and_bad_calendars_are_refused():
    with pytest.raises(ValueError):
        add_business_minutes(dt.datetime(2025, 11, 17, 9), 10, KOREA)
    with pytest.raises(ValueError):
        Calendar(weekly_hours=((600, 540),) * 7)
    with pytest.raises(NeverOpenError):
        add_business_minutes(seoul(2025, 11, 17, 9), 10, Calendar(weekly_hours=(None,) * 7, country=""))


def test_a_year_of_business_time_is_measured_from_cached_year_totals():
    # Speed belongs to make bench, not to a timed test: measuring a span adds up cached per-year
    # running totals (computed once per calendar and year), never walks the span again.
    from followups.conversations.business_calendar import _year_totals

    due = add_business_minutes(seoul(2025, 1, 2, 9, 0), 250 * 540, KOREA)
    seconds = business_seconds_between(seoul(2025, 1, 2, 9, 0), due, KOREA)
    assert seconds == 250 * 540 * 60
    computed = _year_totals.cache_info().misses
    assert business_seconds_between(seoul(2025, 1, 2, 9, 0), due, KOREA) == seconds
    assert _year_totals.cache_info().misses == computed


@pytest.mark.django_db
def test_load_calendar_uses_settings_defaults_and_closure_days(settings):
    ClosureDay.objects.create(date=dt.date(2025, 11, 19), reason="Workshop")
    calendar = load_calendar()
    assert calendar.time_zone == settings.BUSINESS_TIME_ZONE
    assert calendar.country == "KR"
    assert calendar.weekly_hours[0] == ((540, 1080),) and calendar.weekly_hours[5] == ()
    assert add_business_minutes(seoul(2025, 11, 18, 17, 0), 120, calendar) == seoul(2025, 11, 20, 10, 0)
    # Saturday mornings open: the managed record changes the arithmetic.
    OpeningInterval.objects.create(weekday=5, opens=dt.time(10), closes=dt.time(13))
    calendar = load_calendar()
    assert add_business_minutes(seoul(2025, 11, 21, 17, 30), 240, calendar) == seoul(2025, 11, 24, 9, 30)


def _day_by_day_seconds(start, end, calendar):
    """The definition, one local day at a time (what the running totals must equal)."""
    total = 0
    day = start.astimezone(calendar.zone).date()
    while day <= end.astimezone(calendar.zone).date():
        for opens, closes in calendar.opening_intervals(day):
            overlap = min(end, closes) - max(start, opens)
            total += max(int(overlap.total_seconds()), 0)
        day += dt.timedelta(days=1)
    return total


@pytest.mark.parametrize(
    "calendar",
    [
        KOREA,
        # Daylight-saving changes (an opening interval an hour shorter or longer), late hours to
        # midnight and a closure day of the agency's own.
        Calendar(
            time_zone="America/New_York",
            country="US",
            weekly_hours=((480, 1440),) * 6 + (None,),
            closure_days=frozenset({dt.date(2025, 12, 26)}),
        ),
        Calendar.around_the_clock("Asia/Seoul"),
    ],
    ids=["seoul", "new-york-dst", "around-the-clock"],
)
def test_long_spans_equal_the_day_by_day_definition(calendar):
    import random

    rng = random.Random(20261203)
    base = dt.datetime(2024, 11, 20, tzinfo=UTC)
    for _ in range(300):
        start = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
        end = start + dt.timedelta(minutes=rng.choice([rng.randrange(0, 600), rng.randrange(0, 60 * 24 * 800)]))
        assert business_seconds_between(start, end, calendar) == _day_by_day_seconds(start, end, calendar), (
            start,
            end,
        )
