"""A wait is the customer message that started it, across every replay of the clock (issue 16).

Standard policy of 4 minutes around the clock, escalation 1 minute after due, a frozen clock.
Whatever is logged late, corrected or deleted afterwards, a level already reminded for a
customer's message is never reminded again: the reminder run after the change reminds nothing,
and the bell still holds the first notices (2 due notices, owner and backup; 1 escalation).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from clients.models import ResponseTier
from followups.conversations.services import (
    conversation_recompute_clock,
    conversation_reply,
    conversation_start,
    message_receive,
    message_update_time,
    wait_close_no_reply_needed,
)
from followups.models import (
    Channel,
    Conversation,
    Message,
    Notification,
    Reminder,
    ReminderLevel,
    ReminderSettings,
    ResponsePolicy,
    ResponseWait,
)
from followups.reminders.services import reminders_run
from tests.followups.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2025, 11, 17, 12, 0, tzinfo=SEOUL)


def ago(minutes):
    return NOW - dt.timedelta(minutes=minutes)


@pytest.fixture
def fast_policy(db):
    ResponsePolicy.objects.filter(tier=ResponseTier.STANDARD).update(
        first_response_minutes=4, next_reply_minutes=4, around_the_clock=True
    )
    ReminderSettings.objects.filter(pk=ReminderSettings.load().pk).update(escalation_delay_minutes=1)


@pytest.fixture
def conversation(fast_policy, owner, manager):
    client = ClientFactory(
        response_tier=ResponseTier.STANDARD, account_owner=owner, backup_owner=UserFactory(username="backup")
    )
    with time_machine.travel(NOW, tick=False):
        return conversation_start(
            client=client, contact=ContactFactory(client=client), subject="Login bug", channel="phone", actor=owner
        )


def customer_call(conversation, minutes_ago, body="Call"):
    with time_machine.travel(NOW, tick=False):
        return message_receive(
            conversation=conversation, body=body, channel=Channel.PHONE, occurred_at=ago(minutes_ago)
        )


def our_answer(conversation, author, minutes_ago, body="Answered"):
    with time_machine.travel(NOW, tick=False):
        return conversation_reply(
            conversation=conversation, author=author, body=body, channel=Channel.PHONE, occurred_at=ago(minutes_ago)
        )


def tick():
    with time_machine.travel(NOW, tick=False):
        return reminders_run()


def replay(conversation):
    with transaction.atomic(), time_machine.travel(NOW, tick=False):
        locked = Conversation.objects.select_for_update().select_related("client").get(pk=conversation.pk)
        return conversation_recompute_clock(conversation=locked)


def notices():
    return {
        kind: Notification.objects.filter(kind=f"reminder.{kind}").count() for kind in ("warning", "due", "escalation")
    }


def reminded_once(conversation):
    """The first tick: the call at now-10min is due (now-6) and escalated (now-5); the warning is skipped
    because the call was logged after its due time."""
    counts = tick()
    assert counts["reminded"] == 2
    assert notices() == {"warning": 0, "due": 2, "escalation": 1}
    return conversation.waits.get()


def test_an_earlier_exchange_logged_late_does_not_remind_the_same_message_again(conversation, owner):
    late = customer_call(conversation, 10, "The login page is down")
    reminded_once(conversation)

    customer_call(conversation, 20, "Earlier call about invoices")
    our_answer(conversation, owner, 19)
    counts = tick()

    assert notices() == {"warning": 0, "due": 2, "escalation": 1}  # was 4 due notices and 2 escalations
    assert counts.get("reminded", 0) == 0
    earlier, still_open = conversation.waits.order_by("started_at")
    assert still_open.started_by_id == late.pk and still_open.is_open
    assert set(still_open.reminders.values_list("level", flat=True)) == {ReminderLevel.DUE, ReminderLevel.ESCALATION}
    assert earlier.closed_reason == ResponseWait.ClosedReason.ANSWERED and not earlier.reminders.exists()


def test_a_corrected_time_does_not_remind_the_same_message_again(conversation, owner):
    late = customer_call(conversation, 10, "The login page is down")
    reminded_once(conversation)

    # An earlier call logged with the wrong time (it joins the open wait), then corrected; then our
    # answer to it, which now comes before the call of now-10min.
    earlier = customer_call(conversation, 9, "Earlier call about invoices")
    with time_machine.travel(NOW, tick=False):
        message_update_time(message=earlier, occurred_at=ago(20), actor=owner)
    assert tick().get("reminded", 0) == 0  # the stretch now starts at now-20min, but was reminded
    our_answer(conversation, owner, 19)
    counts = tick()

    assert counts.get("reminded", 0) == 0
    assert notices() == {"warning": 0, "due": 2, "escalation": 1}
    first, second = conversation.waits.order_by("started_at")
    assert (first.started_by_id, second.started_by_id) == (earlier.pk, late.pk)
    assert set(second.reminders.values_list("level", flat=True)) == {ReminderLevel.DUE, ReminderLevel.ESCALATION}


def test_a_time_corrected_past_a_no_reply_needed_decision_reminds_nothing_again(conversation, owner):
    first = customer_call(conversation, 30, "Thanks!")
    with time_machine.travel(ago(28), tick=False):
        wait_close_no_reply_needed(conversation=conversation, actor=owner, reason="Just thanks")
    customer_call(conversation, 10, "The login page is down")
    counts = tick()
    assert counts["reminded"] == 2

    # "Thanks!" really came after the decision: the two calls are now one stretch, started by it.
    with time_machine.travel(NOW, tick=False):
        message_update_time(message=first, occurred_at=ago(15), actor=owner)
    counts = tick()

    assert counts.get("reminded", 0) == 0
    assert notices() == {"warning": 0, "due": 2, "escalation": 1}
    wait = conversation.waits.get()
    assert wait.started_by_id == first.pk and wait.is_open


def test_a_deleted_reply_reopens_the_wait_without_reminding_again(conversation, owner):
    """No page or service deletes a single message today: messages go only with their conversation
    or client (admin, cascade). A repair in `manage.py shell` deletes the row and replays the clock;
    that is the path tested here (our answer was logged on the wrong conversation)."""
    customer_call(conversation, 30, "Earlier call about invoices")
    wrong = our_answer(conversation, owner, 29)
    customer_call(conversation, 10, "The login page is down")
    assert tick()["reminded"] == 2

    Message.objects.filter(pk=wrong.pk).delete()
    replay(conversation)
    counts = tick()

    assert counts.get("reminded", 0) == 0
    assert notices() == {"warning": 0, "due": 2, "escalation": 1}
    assert conversation.waits.get().is_open


def test_a_deleted_exchange_keeps_the_wait_of_the_later_message(conversation, owner):
    late = customer_call(conversation, 10, "The login page is down")
    reminded_once(conversation)
    earlier = customer_call(conversation, 20, "Earlier call, logged on the wrong customer")
    answer = our_answer(conversation, owner, 19)

    Message.objects.filter(pk__in=[earlier.pk, answer.pk]).delete()
    replay(conversation)
    counts = tick()

    assert counts.get("reminded", 0) == 0
    assert notices() == {"warning": 0, "due": 2, "escalation": 1}
    wait = conversation.waits.get()
    assert wait.started_by_id == late.pk and wait.is_open
    assert set(wait.reminders.values_list("level", flat=True)) == {ReminderLevel.DUE, ReminderLevel.ESCALATION}


def test_deleting_the_conversation_takes_its_waits_and_reminders_with_it(conversation, owner):
    customer_call(conversation, 10)
    reminded_once(conversation)
    Conversation.objects.filter(pk=conversation.pk).delete()  # what the admin's delete does
    assert tick().get("reminded", 0) == 0
    assert not Reminder.objects.exists() and not ResponseWait.objects.exists()
    assert notices() == {"warning": 0, "due": 0, "escalation": 0}


def test_a_later_message_of_the_same_wait_is_never_reminded_on_its_own(conversation, owner):
    customer_call(conversation, 10, "The login page is down")
    reminded_once(conversation)
    customer_call(conversation, 8, "Still down")
    # An earlier exchange splits nothing here: both calls stay one wait, reminded once.
    customer_call(conversation, 20, "Earlier call")
    our_answer(conversation, owner, 19)
    assert tick().get("reminded", 0) == 0
    assert notices() == {"warning": 0, "due": 2, "escalation": 1}
