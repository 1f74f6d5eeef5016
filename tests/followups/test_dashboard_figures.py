"""The dashboard's figures are exactly right: a known set of waits (see dashboard_data.py)
with a frozen clock, in business and calendar time, per owner, channel, tier and week."""

import datetime as dt

import pytest
import time_machine

from followups.conversations.business_calendar import Calendar, business_seconds_between
from followups.conversations.hours import load_calendar
from followups.dashboard import selectors
from followups.models import ResponseWait
from tests.followups.dashboard_data import NOW, build_known_conversations

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def known(frozen, owner, other_staff):
    return build_known_conversations(minji=owner, junho=other_staff)


def breakdown(basis="business", **filters):
    chosen = selectors.DashboardFilters(basis=basis, **filters)
    start, end = selectors.period_bounds(period=chosen.period, now=NOW)
    return selectors.response_breakdown(filters=chosen, start=start, end=end)


def figures(fig):
    return (fig.count, fig.met, fig.p50, fig.p90)


def test_the_services_stored_the_waits_the_table_describes(known):
    stored = {
        (w.conversation.subject, w.kind): (w.business_seconds, w.calendar_seconds, w.met_target)
        for w in ResponseWait.objects.filter(closed_reason="answered").select_related("conversation")
    }
    assert stored == {
        ("Subject c1", "first"): (1800, 1800, True),
        ("Subject c1", "next"): (14400, 14400, True),
        ("Subject c2", "first"): (7200, 61200, True),
        ("Subject c3", "first"): (9000, 235800, True),
        ("Subject c4", "first"): (54000, 108000, False),
        ("Subject c5", "first"): (18000, 18000, False),
        ("Subject c6", "first"): (1200, 1200, True),
        ("Subject c6", "next"): (18000, 72000, True),
        ("Subject c7", "first"): (3600, 3600, True),
    }


def test_default_period_is_this_week_and_the_three_before_in_seoul():
    start, end = selectors.period_bounds(period="4w", now=NOW)
    # Monday 2026-02-23 00:00 in Seoul is Sunday 15:00 UTC.
    assert start == dt.datetime(2026, 2, 22, 15, 0, tzinfo=dt.UTC)
    assert end == NOW + dt.timedelta(microseconds=1)  # now itself is in the period
    assert selectors.period_weeks(start=start, end=end) == [
        dt.date(2026, 2, 23),
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    ]


def test_headline_median_p90_and_hit_rate_in_business_time(known):
    total = breakdown().total
    # first: [1200, 1800, 3600, 7200, 9000, 18000, 54000] -> median 7200; p90 at rank 5.4:
    # 18000 + 0.4 * (54000 - 18000) = 32400.
    assert figures(total.first) == (7, 5, 7200, 32400)
    # next: [14400, 18000] -> median 16200; p90 = 14400 + 0.9 * 3600 = 17640.
    assert figures(total.next) == (2, 2, 16200, 17640)
    assert (total.count, total.met) == (9, 7)
    assert total.hit_rate == pytest.approx(7 / 9)


def test_headline_in_calendar_time(known):
    total = breakdown("calendar").total
    # first: [1200, 1800, 3600, 18000, 61200, 108000, 235800] -> median 18000;
    # p90 = 108000 + 0.4 * (235800 - 108000) = 159120.
    assert figures(total.first) == (7, 5, 18000, 159120)
    # next: [14400, 72000] -> 43200 and 14400 + 0.9 * 57600 = 66240.
    assert figures(total.next) == (2, 2, 43200, 66240)


def test_per_owner_in_business_and_calendar_time(known, owner, other_staff):
    business = breakdown().by_owner
    # Minji first [1800, 7200, 9000, 54000]: median 8100, p90 = 9000 + 0.7 * 45000 = 40500.
    assert figures(business[owner.pk].first) == (4, 3, 8100, 40500)
    assert figures(business[owner.pk].next) == (1, 1, 14400, 14400)
    # Junho first [1200, 3600, 18000]: median 3600, p90 = 3600 + 0.8 * 14400 = 15120.
    assert figures(business[other_staff.pk].first) == (3, 2, 3600, 15120)
    assert figures(business[other_staff.pk].next) == (1, 1, 18000, 18000)
    assert business[owner.pk].hit_rate == pytest.approx(4 / 5)
    assert business[other_staff.pk].hit_rate == pytest.approx(3 / 4)

    calendar = breakdown("calendar").by_owner
    # Minji first [1800, 61200, 108000, 235800]: median 84600, p90 = 108000 + 0.7 * 127800.
    assert figures(calendar[owner.pk].first) == (4, 3, 84600, 197460)
    assert figures(calendar[other_staff.pk].next) == (1, 1, 72000, 72000)


def test_per_week_by_answer_time_in_seoul(known):
    weeks = breakdown().by_week
    assert set(weeks) == {dt.date(2026, 3, 9), dt.date(2026, 3, 16)}
    # Week of 03-09: first [1200, 1800, 7200, 18000] -> 4500; p90 = 7200 + 0.7 * 10800 = 14760.
    assert figures(weeks[dt.date(2026, 3, 9)].first) == (4, 3, 4500, 14760)
    assert figures(weeks[dt.date(2026, 3, 9)].next) == (2, 2, 16200, 17640)
    # Week of 03-16 (c3 was asked on Friday 03-13 and answered on Monday): [3600, 9000, 54000].
    assert figures(weeks[dt.date(2026, 3, 16)].first) == (3, 2, 9000, 45000)
    assert figures(weeks[dt.date(2026, 3, 16)].next) == (0, 0, None, None)

    calendar = breakdown("calendar").by_week
    # Week of 03-09 calendar first [1200, 1800, 18000, 61200]: median 9900;
    # p90 = 18000 + 0.7 * 43200 = 48240.
    assert figures(calendar[dt.date(2026, 3, 9)].first) == (4, 3, 9900, 48240)


def test_per_channel_and_tier(known):
    result = breakdown()
    assert set(result.by_channel) == {"email", "kakao"}
    assert figures(result.by_channel["email"].first) == (4, 3, 8100, 40500)
    assert figures(result.by_tier["maintenance"].first) == (3, 2, 3600, 15120)


def test_filters_narrow_every_figure(known, owner):
    result = breakdown(owner_id=owner.pk)
    assert figures(result.total.first) == (4, 3, 8100, 40500)
    assert set(result.by_owner) == {owner.pk}
    assert set(result.by_channel) == {"email"}
    assert breakdown(channel="kakao", tier="standard").total.count == 0
    # A one-week period only sees this week's answers (c4 and c7; c3 was answered on Monday).
    assert figures(breakdown(period="1w").total.first) == (3, 2, 9000, 45000)


def test_python_fallback_gives_the_same_exact_figures(known, owner):
    for basis in ("business", "calendar"):
        chosen = selectors.DashboardFilters(basis=basis)
        start, end = selectors.period_bounds(period="4w", now=NOW)
        in_sql = selectors._postgres_breakdown(filters=chosen, start=start, end=end)
        in_python = selectors._python_breakdown(filters=chosen, start=start, end=end)
        assert in_python == in_sql
    assert figures(in_python.by_owner[owner.pk].first) == (4, 3, 84600, 197460)


def test_percentile_cont_interpolates_like_postgresql():
    assert selectors.percentile_cont([], 0.5) is None
    assert selectors.percentile_cont([5], 0.9) == 5
    assert selectors.percentile_cont([10, 0], 0.5) == 5
    assert selectors.percentile_cont([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)


def test_waiting_now_buckets_by_owner_to_the_second(known, owner, other_staff):
    waiting = selectors.waiting_now(filters=selectors.DashboardFilters(), now=NOW, calendar=load_calendar())
    assert [bucket.key for bucket in waiting.buckets] == ["under_1h", "1_4h", "4_8h", "8h_3d", "over_3d"]
    rows = {row.owner_id: (row.buckets, row.overdue, row.total) for row in waiting.rows}
    assert rows == {
        owner.pk: ([1, 1, 0, 0, 1], 1, 3),  # c8 (30 min), c12 (2 h), c10 (42 h, overdue)
        other_staff.pk: ([0, 0, 1, 1, 0], 1, 2),  # c11 (exactly 4 h: not under 4 h), c9 (14 h, overdue)
    }
    assert (waiting.total.buckets, waiting.total.overdue, waiting.total.total) == ([1, 1, 1, 1, 1], 2, 5)


def test_a_wait_moves_bucket_on_the_exact_second(known, other_staff):
    # c11 was asked at 11:00 on Friday: one second before 15:00 it had waited 3:59:59.
    before = NOW - dt.timedelta(seconds=1)
    waiting = selectors.waiting_now(
        filters=selectors.DashboardFilters(owner_id=other_staff.pk), now=before, calendar=load_calendar()
    )
    assert waiting.total.buckets == [0, 1, 0, 1, 0]


def test_waiting_now_respects_filters(known, owner):
    waiting = selectors.waiting_now(
        filters=selectors.DashboardFilters(channel="kakao"), now=NOW, calendar=load_calendar()
    )
    assert {row.owner_id for row in waiting.rows} != {owner.pk}
    assert waiting.total.total == 2


@pytest.mark.parametrize("seconds", [1, 1800, 3600, 4 * 3600, 8 * 3600, 9 * 3600, 27 * 3600, 100 * 3600])
@pytest.mark.parametrize(
    "now",
    [
        NOW,
        dt.datetime(2026, 3, 23, 0, 30, tzinfo=dt.UTC),  # Monday 09:30 in Seoul
        dt.datetime(2026, 3, 21, 3, 0, tzinfo=dt.UTC),  # Saturday noon
        dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC),  # the morning after a public holiday
    ],
)
def test_business_moment_before_is_the_inverse_of_business_seconds_between(now, seconds):
    calendar = Calendar()
    moment = selectors.business_moment_before(now, seconds, calendar)
    assert business_seconds_between(moment, now, calendar) == seconds
    assert business_seconds_between(moment + dt.timedelta(microseconds=1), now, calendar) < seconds


def test_a_business_day_is_the_average_opening_day():
    assert selectors.business_day_seconds(Calendar()) == 9 * 3600
    assert selectors.business_day_seconds(Calendar.around_the_clock()) == 24 * 3600
