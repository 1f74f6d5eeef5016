"""Changing the opening hours, a closure or a target re-plans every open wait and its reminders in
the same transaction, and the client's timeline says so (frozen clock, Asia/Seoul)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from clients.models import ResponseTier, TimelineEvent
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.conversations.services.calendar import (
    business_hours_replace,
    closure_day_add,
    response_policy_save,
)
from followups.models import Channel, ReminderSchedule, ReminderSettings, ResponseWait
from tests.followups.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NINE_TO_SIX = {day: [(dt.time(9), dt.time(18))] for day in range(5)}
WITH_LUNCH = {day: [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(18))] for day in range(5)}


def seoul(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


def at(moment):
    return time_machine.travel(moment, tick=False)


def hours(weekly, **kwargs):
    return business_hours_replace(weekly=weekly, time_zone="Asia/Seoul", country="KR", subdivision="", **kwargs)


def waiting(owner, when, *, channel=Channel.EMAIL, tier=ResponseTier.STANDARD):
    client = ClientFactory(response_tier=tier, account_owner=owner)
    contact = ContactFactory(client=client)
    with at(when):
        conversation = conversation_start(client=client, contact=contact, subject="Login", channel=channel, actor=owner)
        message_receive(conversation=conversation, body="Help", channel=channel)
    conversation.refresh_from_db()
    return conversation


def test_a_message_at_1150_with_a_30_minute_target_is_due_at_1320_with_a_lunch_break(owner, manager):
    hours(WITH_LUNCH, actor=manager)
    response_policy_save(
        tier=ResponseTier.STANDARD, channel="", first_response_minutes=30, next_reply_minutes=30, actor=manager
    )
    conversation = waiting(owner, seoul(2026, 12, 7, 11, 50))  # a Monday
    assert conversation.reply_due_at == seoul(2026, 12, 7, 13, 20)
    # Answered at 13:10: 20 business minutes, not 80, and in time.
    with at(seoul(2026, 12, 7, 13, 10)):
        conversation_reply(conversation=conversation, author=owner, body="Done", channel=Channel.EMAIL)
    wait = ResponseWait.objects.get(conversation=conversation)
    assert (wait.business_seconds, wait.calendar_seconds, wait.met_target) == (20 * 60, 80 * 60, True)


def test_changing_the_hours_moves_an_open_wait_its_reminders_and_says_so(owner, manager):
    ReminderSettings.objects.update_or_create(
        pk=1, defaults={"warning_share_percent": 50, "escalation_delay_minutes": 60}
    )
    hours(NINE_TO_SIX, actor=manager)
    # Monday 08:00, before opening, with the standard 480-minute target: due 17:00 the same day.
    conversation = waiting(owner, seoul(2026, 12, 7, 8, 0))
    assert conversation.reply_due_at == seoul(2026, 12, 7, 17, 0)
    schedule = ReminderSchedule.objects.get(wait__conversation=conversation)
    assert (schedule.warning_at, schedule.due_at, schedule.escalation_at) == (
        seoul(2026, 12, 7, 13, 0),
        seoul(2026, 12, 7, 17, 0),
        seoul(2026, 12, 7, 18, 0),
    )

    with at(seoul(2026, 12, 7, 8, 30)):
        moved = hours({day: [(dt.time(9, 30), dt.time(18, 30))] for day in range(5)}, actor=manager)

    assert moved == 1
    conversation.refresh_from_db()
    wait = ResponseWait.objects.get(conversation=conversation)
    assert conversation.reply_due_at == wait.reply_due_at == seoul(2026, 12, 7, 17, 30)
    schedule.refresh_from_db()
    assert (schedule.warning_at, schedule.due_at, schedule.escalation_at) == (
        seoul(2026, 12, 7, 13, 30),
        seoul(2026, 12, 7, 17, 30),
        seoul(2026, 12, 7, 18, 30),
    )
    assert (schedule.next_level, schedule.next_at) == (1, seoul(2026, 12, 7, 13, 30))
    event = TimelineEvent.objects.get(client=conversation.client, kind="wait.replanned")
    assert event.actor == manager
    assert "Reply due time moved from" in event.summary and "the opening hours changed" in event.summary


def test_a_lunch_break_moves_the_due_time_and_the_warning_an_hour_later(owner, manager):
    # 09:00-18:00 -> 09:00-12:00 + 13:00-18:00: eight business hours a day instead of nine.
    hours(NINE_TO_SIX, actor=manager)
    conversation = waiting(owner, seoul(2026, 12, 7, 9, 0))
    assert conversation.reply_due_at == seoul(2026, 12, 7, 17, 0)
    with at(seoul(2026, 12, 7, 9, 5)):
        hours(WITH_LUNCH, actor=manager)
    conversation.refresh_from_db()
    assert conversation.reply_due_at == seoul(2026, 12, 7, 18, 0)
    schedule = ReminderSchedule.objects.get(wait__conversation=conversation)
    assert schedule.due_at == seoul(2026, 12, 7, 18, 0)
    # The default warning at 75% of 480 minutes: 360 minutes, 16:00 with the lunch hour skipped.
    assert schedule.warning_at == seoul(2026, 12, 7, 16, 0)


def test_a_closure_day_moves_the_due_time_past_it(owner, manager):
    conversation = waiting(owner, seoul(2026, 12, 7, 14, 0))  # due Tuesday 13:00
    with at(seoul(2026, 12, 7, 15, 0)):
        closure_day_add(date=dt.date(2026, 12, 8), reason="Workshop", actor=manager)
    conversation.refresh_from_db()
    assert conversation.reply_due_at == seoul(2026, 12, 9, 13, 0)
    assert TimelineEvent.objects.filter(client=conversation.client, kind="wait.replanned").count() == 1


def test_a_target_per_channel_and_tier_re_plans_only_the_waits_it_changes(owner, manager):
    email = waiting(owner, seoul(2026, 12, 7, 10, 0), channel=Channel.EMAIL)
    kakao = waiting(owner, seoul(2026, 12, 7, 10, 0), channel=Channel.KAKAO)
    with at(seoul(2026, 12, 7, 10, 30)):
        moved = response_policy_save(
            tier=ResponseTier.STANDARD,
            channel=Channel.KAKAO,
            first_response_minutes=90,
            next_reply_minutes=120,
            actor=manager,
        )
    assert moved is not None
    email.refresh_from_db(), kakao.refresh_from_db()
    assert email.reply_due_at == seoul(2026, 12, 7, 18, 0)  # the tier's 480 minutes, as before
    assert kakao.reply_due_at == seoul(2026, 12, 7, 11, 30)
    assert ResponseWait.objects.get(conversation=kakao).target_minutes == 90
    assert not TimelineEvent.objects.filter(client=email.client, kind="wait.replanned").exists()
    assert TimelineEvent.objects.filter(client=kakao.client, kind="wait.replanned").exists()


def test_a_change_that_fails_later_in_its_transaction_leaves_every_wait_as_it_was(owner, manager):
    conversation = waiting(owner, seoul(2026, 12, 7, 8, 0))
    with pytest.raises(RuntimeError), transaction.atomic(), at(seoul(2026, 12, 7, 8, 30)):
        hours({day: [(dt.time(9, 30), dt.time(18, 30))] for day in range(5)}, actor=manager)
        raise RuntimeError("the page's next step failed")
    conversation.refresh_from_db()
    assert conversation.reply_due_at == seoul(2026, 12, 7, 17, 0)
    assert ReminderSchedule.objects.get(wait__conversation=conversation).due_at == seoul(2026, 12, 7, 17, 0)
