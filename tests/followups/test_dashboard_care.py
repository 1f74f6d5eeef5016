"""Check-ins done on time and happiness on the dashboard (figures of the care feature)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followups.conversations.hours import load_calendar
from followups.dashboard import selectors
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory, seoul
from tests.followups.dashboard_data import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def done(due_on, done_at, **kwargs):
    return CheckinFactory(due_on=due_on, status="done", done_at=done_at, sentiment="good", **kwargs)


@pytest.fixture
def checkins(frozen, owner):
    # A check-in turns overdue two business days after its due date (CHECKIN_OVERDUE_AFTER_DAYS).
    done(dt.date(2026, 3, 9), seoul(2026, 3, 10, 10, 0), owner=owner)  # on time (overdue from 03-11)
    done(dt.date(2026, 3, 9), seoul(2026, 3, 11, 9, 0), owner=owner)  # late: done on 03-11
    # 23:30 UTC on 03-10 is 08:30 on 03-11 in Seoul: late by the agency's calendar (not by UTC's).
    done(dt.date(2026, 3, 9), dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC), owner=owner)
    CheckinFactory(due_on=dt.date(2026, 3, 18), status="due", owner=owner)  # overdue from Friday 03-20
    CheckinFactory(due_on=dt.date(2026, 3, 19), status="scheduled", owner=owner)  # overdue from Monday
    CheckinFactory(due_on=dt.date(2026, 3, 19), status="skipped", skip_reason="Client closed", owner=owner)
    done(dt.date(2026, 2, 10), seoul(2026, 2, 27, 10, 0), owner=owner)  # due before the period


def test_checkins_done_before_they_turned_overdue(checkins, owner, other_staff):
    start, end = selectors.period_bounds(period="4w", now=NOW)
    figures = selectors.checkin_figures(
        filters=selectors.DashboardFilters(), start=start, end=end, calendar=load_calendar()
    )
    assert (figures.on_time, figures.late, figures.pending) == (1, 3, 1)
    assert figures.on_time_rate == pytest.approx(0.25)
    nobody = selectors.checkin_figures(
        filters=selectors.DashboardFilters(owner_id=other_staff.pk), start=start, end=end, calendar=load_calendar()
    )
    assert (nobody.on_time, nobody.late, nobody.pending, nobody.on_time_rate) == (0, 0, 0, None)


def test_the_dashboard_shows_checkins_and_happiness(manager_client, checkins, owner):
    for rating in ["great", "great", "great", "not_good"]:
        FeedbackRequestFactory(rating=rating, rated_at=NOW - dt.timedelta(days=1), owner=owner)
    FeedbackRequestFactory(rating="okay", rated_at=NOW - dt.timedelta(weeks=8), owner=owner)  # before the period
    response = manager_client.get(reverse("followups:dashboard"))
    body = response.content.decode()
    assert response.context["care"]["score"] == 50.0  # (3 - 1) / 4 ratings
    assert '<div class="fs-5" data-figure="checkins">25.0%</div>' in body
    assert '<div class="fs-5" data-figure="happiness">50.0</div>' in body
    rows = {row.label: row.cells[0] for row in response.context["tables"]["care"].rows}
    assert rows["Check-ins done on time"] == "25.0%"
    assert rows["Ratings: Great"] == 3 and rows["Great per Not good"] == 3.0
