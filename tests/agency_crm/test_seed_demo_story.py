"""The demo tells one consistent story, made through the services, whenever it is seeded: the bell
speaks only of conversations that are really overdue, the most overdue one has its notices, first
responses took real business time, and the dashboard's weekly trend has weeks to show (issue 14.4)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from followups.conversations.business_calendar import is_open, next_opening
from followups.conversations.hours import load_calendar
from followups.dashboard import selectors as dashboard
from followups.models import Conversation, Notification, ResponseWait
from followups.reminders.services import reminders_run

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
MOMENTS = {
    "wednesday-morning": dt.datetime(2026, 12, 2, 11, 0, tzinfo=SEOUL),
    "wednesday-night": dt.datetime(2026, 12, 2, 22, 30, tzinfo=SEOUL),
    "monday-early": dt.datetime(2026, 12, 7, 7, 45, tzinfo=SEOUL),
}


@pytest.fixture(params=sorted(MOMENTS))
def seeded_at(request):
    moment = MOMENTS[request.param]
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo")
    return moment


def test_every_reminder_in_the_bell_is_about_an_overdue_conversation(seeded_at):
    with time_machine.travel(seeded_at, tick=False):
        for notice in Notification.objects.filter(kind__in=["reminder.due", "reminder.escalation"]):
            conversation = Conversation.objects.get(pk=notice.conversation_id)
            assert conversation.reply_due_at is not None and conversation.reply_due_at <= seeded_at, notice.title


def test_the_most_overdue_conversation_has_its_notices_once_the_agency_is_open(seeded_at):
    calendar = load_calendar()
    opening = seeded_at if is_open(seeded_at, calendar) else next_opening(seeded_at, calendar)
    with time_machine.travel(opening, tick=False):
        reminders_run()
        most_overdue = Conversation.objects.filter(status="waiting_on_us").order_by("reply_due_at").first()
        assert most_overdue.reply_due_at < opening
        kinds = set(Notification.objects.filter(conversation=most_overdue).values_list("kind", flat=True))
    assert {"reminder.due", "reminder.escalation"} <= kinds


def test_first_responses_took_real_business_time(seeded_at):
    answered = ResponseWait.objects.filter(closed_reason="answered", kind="first")
    assert answered.count() >= 5
    assert answered.filter(business_seconds__gt=0).count() == answered.count()


def test_the_weekly_trend_has_weeks_to_show(seeded_at):
    with time_machine.travel(seeded_at, tick=False):
        start, end = dashboard.period_bounds(period="12w", now=seeded_at)
        by_week = dashboard.response_breakdown(filters=dashboard.DashboardFilters(), start=start, end=end).by_week
    assert sum(1 for figures in by_week.values() if figures.count) >= 4
