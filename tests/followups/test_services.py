"""The response clock over scripted conversations (frozen clock, maintenance tier: 240/480 minutes)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clients.models import ResponseTier, TimelineEvent
from followups.conversations.services import (
    conversation_log,
    conversation_recompute_clock,
    conversation_reply,
    conversation_start,
    conversations_reassign,
    message_receive,
    message_update_time,
    note_add,
    wait_close_no_reply_needed,
)
from followups.models import Channel, Conversation, NoReplyNeeded, ResponsePolicy, ResponseWait
from tests.followups.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


@pytest.fixture
def conversation(owner):
    client = ClientFactory(response_tier=ResponseTier.MAINTENANCE, account_owner=owner)
    contact = ContactFactory(client=client, name="Kim Jisoo")
    with time_machine.travel(seoul(2025, 11, 17, 9, 50), tick=False):
        return conversation_start(client=client, contact=contact, subject="Login bug", channel="email", actor=owner)


def at(moment):
    return time_machine.travel(moment, tick=False)


def receive(conversation, moment, body="Question"):
    with at(moment):
        return message_receive(conversation=conversation, body=body, channel=Channel.EMAIL)


def reply(conversation, author, moment, channel=Channel.PHONE):
    with at(moment):
        return conversation_reply(conversation=conversation, author=author, body="Answer", channel=channel)


def script(conversation, owner):
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    receive(conversation, seoul(2025, 11, 17, 11, 30), "Any news?")  # still the same wait
    first_reply = reply(conversation, owner, seoul(2025, 11, 17, 13, 0))
    receive(conversation, seoul(2025, 11, 17, 17, 0), "One more thing")
    second_reply = reply(conversation, owner, seoul(2025, 11, 19, 10, 0), Channel.KAKAO)
    return first_reply, second_reply


def test_default_policies_are_seeded():
    policies = {p.tier: (p.first_response_minutes, p.next_reply_minutes) for p in ResponsePolicy.objects.all()}
    assert policies == {"": (480, 960), "standard": (480, 960), "maintenance": (240, 480), "prospect": (540, 540)}


def test_customer_message_starts_the_clock_with_the_first_response_target(conversation):
    receive(conversation, seoul(2025, 11, 21, 17, 30))  # Friday evening
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_US
    assert conversation.awaiting_since == seoul(2025, 11, 21, 17, 30)
    assert conversation.reply_due_at == seoul(2025, 11, 24, 12, 30)  # Monday, 4 business hours later
    wait = conversation.waits.get()
    assert (wait.kind, wait.target_minutes, wait.is_open) == (ResponseWait.Kind.FIRST, 240, True)


def test_reply_stops_the_clock_and_stores_first_response_and_next_reply_figures(conversation, owner):
    first_reply, second_reply = script(conversation, owner)
    first, second = conversation.waits.order_by("started_at")
    assert first.kind == ResponseWait.Kind.FIRST
    assert first.started_at == seoul(2025, 11, 17, 10, 0)
    assert first.reply_due_at == seoul(2025, 11, 17, 14, 0)
    assert first.answered_by == first_reply
    assert (first.calendar_seconds, first.business_seconds, first.met_target) == (3 * 3600, 3 * 3600, True)

    assert second.kind == ResponseWait.Kind.NEXT
    assert second.target_minutes == 480
    # Monday 17:00 + 8 business hours: 1 on Monday, 7 on Tuesday from 09:00.
    assert second.reply_due_at == seoul(2025, 11, 18, 16, 0)
    assert second.answered_by == second_reply
    assert second.calendar_seconds == 41 * 3600
    assert second.business_seconds == (1 + 9 + 1) * 3600
    assert second.met_target is False
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_CUSTOMER
    assert conversation.awaiting_since is None and conversation.reply_due_at is None


def test_every_message_reply_and_clock_event_is_on_the_client_timeline(conversation, owner):
    script(conversation, owner)
    kinds = list(TimelineEvent.objects.filter(client=conversation.client).order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "conversation.started",
        "message.received",
        "wait.started",
        "message.received",
        "message.replied",
        "wait.answered",
        "message.received",
        "wait.started",
        "message.replied",
        "wait.answered",
    ]
    answered = TimelineEvent.objects.filter(kind="wait.answered").order_by("id").last()
    assert answered.data["business_seconds"] == 11 * 3600 and answered.data["met_target"] is False


def test_our_message_without_a_waiting_customer_changes_no_figures(conversation, owner):
    reply(conversation, owner, seoul(2025, 11, 17, 10, 0))
    assert not conversation.waits.exists()
    receive(conversation, seoul(2025, 11, 17, 11, 0))
    # We wrote first, so the customer's answer is waiting for a next reply.
    assert conversation.waits.get().kind == ResponseWait.Kind.NEXT


def test_internal_note_never_stops_the_clock(conversation, owner):
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    with at(seoul(2025, 11, 17, 10, 30)):
        note_add(conversation=conversation, author=owner, body="Calling them after lunch")
    wait = conversation.waits.get()
    assert wait.is_open and wait.answered_by is None
    assert conversation.notes.count() == 1


def test_no_reply_needed_closes_the_wait_without_counting_it(conversation, owner):
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    reply(conversation, owner, seoul(2025, 11, 17, 11, 0))
    receive(conversation, seoul(2025, 11, 17, 12, 0), "Thanks, that works!")
    with at(seoul(2025, 11, 17, 12, 5)):
        decision = wait_close_no_reply_needed(conversation=conversation, actor=owner, reason="Customer said thanks")
    wait = conversation.waits.order_by("started_at").last()
    assert wait.closed_reason == ResponseWait.ClosedReason.NO_REPLY_NEEDED
    assert wait.no_reply_decision == decision
    assert (wait.calendar_seconds, wait.business_seconds, wait.met_target) == (None, None, None)
    assert wait.closed_at == seoul(2025, 11, 17, 12, 5)
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED and conversation.reply_due_at is None
    audit = NoReplyNeeded.objects.get()
    assert (audit.decided_by, audit.reason) == (owner, "Customer said thanks")
    event = TimelineEvent.objects.get(kind="wait.no_reply_needed")
    assert "Customer said thanks" in event.summary and event.actor == owner
    # Answered-wait statistics see only the first wait.
    assert ResponseWait.objects.filter(closed_reason="answered").count() == 1
    # The customer writes again: a new wait, and the audited decision is kept.
    receive(conversation, seoul(2025, 11, 18, 10, 0), "Actually, one more question")
    assert conversation.waits.filter(closed_at__isnull=True).get().kind == ResponseWait.Kind.NEXT
    assert conversation.waits.get(no_reply_decision=decision).closed_reason == "no_reply_needed"


def test_no_reply_needed_requires_a_reason_and_a_waiting_customer(conversation, owner):
    with pytest.raises(ValidationError):
        wait_close_no_reply_needed(conversation=conversation, actor=owner, reason="Nothing pending")
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    with pytest.raises(ValidationError):
        wait_close_no_reply_needed(conversation=conversation, actor=owner, reason="   ")
    assert not NoReplyNeeded.objects.exists()


def test_editing_a_reply_time_recomputes_the_figures(conversation, owner):
    first_reply, _second = script(conversation, owner)
    with at(seoul(2025, 11, 20, 9, 0)):
        message_update_time(message=first_reply, occurred_at=seoul(2025, 11, 17, 15, 0), actor=owner)
    first = conversation.waits.order_by("started_at").first()
    assert (first.calendar_seconds, first.business_seconds, first.met_target) == (5 * 3600, 5 * 3600, False)
    assert TimelineEvent.objects.filter(kind="message.time_edited").count() == 1


def test_editing_a_question_time_moves_the_wait_and_keeps_ids(conversation, owner):
    script(conversation, owner)
    ids = list(conversation.waits.order_by("started_at").values_list("id", flat=True))
    question = conversation.messages.get(body="One more thing")
    with at(seoul(2025, 11, 20, 9, 0)):
        # It really came on Tuesday morning: now due Tuesday 17:00 +... 8 business hours = 17:00.
        message_update_time(message=question, occurred_at=seoul(2025, 11, 18, 9, 0), actor=owner)
    waits = list(conversation.waits.order_by("started_at"))
    assert [w.pk for w in waits] == ids
    assert waits[1].reply_due_at == seoul(2025, 11, 18, 17, 0)
    assert waits[1].business_seconds == 10 * 3600 and waits[1].met_target is False
    # The stored figures equal a replay from scratch.
    stored = [(w.kind, w.started_at, w.reply_due_at, w.business_seconds, w.met_target) for w in waits]
    ResponseWait.objects.all().delete()
    conversation_recompute_clock(conversation=Conversation.objects.select_related("client").get(pk=conversation.pk))
    replayed = [
        (w.kind, w.started_at, w.reply_due_at, w.business_seconds, w.met_target)
        for w in conversation.waits.order_by("started_at")
    ]
    assert replayed == stored


def test_editing_that_reorders_a_reply_before_its_question_is_rejected(conversation, owner):
    first_reply, _second = script(conversation, owner)
    question = conversation.messages.get(body="Question")
    with at(seoul(2025, 11, 20, 9, 0)):
        with pytest.raises(ValidationError, match="before"):
            message_update_time(message=first_reply, occurred_at=seoul(2025, 11, 17, 9, 0), actor=owner)
        with pytest.raises(ValidationError, match="after"):
            message_update_time(message=question, occurred_at=seoul(2025, 11, 17, 14, 0), actor=owner)
        with pytest.raises(ValidationError, match="future"):
            message_update_time(message=question, occurred_at=seoul(2025, 11, 21, 9, 0), actor=owner)
    first_reply.refresh_from_db()
    assert first_reply.occurred_at == seoul(2025, 11, 17, 13, 0)


def test_logging_in_the_future_or_a_reply_before_the_first_message_is_rejected(conversation, owner):
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    with at(seoul(2025, 11, 17, 12, 0)):
        with pytest.raises(ValidationError, match="future"):
            message_receive(
                conversation=conversation, body="x", channel=Channel.PHONE, occurred_at=seoul(2025, 11, 17, 13, 0)
            )
        with pytest.raises(ValidationError, match="first message"):
            conversation_reply(
                conversation=conversation,
                author=owner,
                body="x",
                channel=Channel.PHONE,
                occurred_at=seoul(2025, 11, 17, 9, 0),
            )
    assert conversation.messages.count() == 1


def test_a_call_logged_after_the_fact_answers_the_questions_before_it(conversation, owner):
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    receive(conversation, seoul(2025, 11, 17, 15, 0), "Second question")
    with at(seoul(2025, 11, 17, 16, 0)):
        conversation_reply(
            conversation=conversation,
            author=owner,
            body="Called back",
            channel=Channel.PHONE,
            occurred_at=seoul(2025, 11, 17, 11, 0),
        )
    first, second = conversation.waits.order_by("started_at")
    assert first.business_seconds == 3600 and first.met_target
    assert second.is_open and second.kind == ResponseWait.Kind.NEXT
    assert second.reply_due_at == seoul(2025, 11, 18, 14, 0)  # 15:00 + 8h: 3 today, 5 tomorrow


def test_around_the_clock_policy_ignores_opening_hours(conversation):
    ResponsePolicy.objects.filter(tier="maintenance").update(around_the_clock=True)
    receive(conversation, seoul(2025, 11, 21, 17, 30))
    conversation.refresh_from_db()
    assert conversation.reply_due_at == seoul(2025, 11, 21, 21, 30)


def test_quick_log_continues_the_contacts_open_conversation(owner):
    contact = ContactFactory()
    with at(seoul(2025, 11, 17, 10, 0)):
        first = conversation_log(
            contact=contact, direction="in", channel=Channel.PHONE, body="Server is down\nPlease call", actor=owner
        )
    with at(seoul(2025, 11, 17, 10, 30)):
        second = conversation_log(contact=contact, direction="out", channel=Channel.PHONE, body="Fixed", actor=owner)
    assert first.conversation_id == second.conversation_id
    conversation = first.conversation
    assert conversation.subject == "Server is down"
    assert conversation.owner == contact.client.account_owner
    assert conversation.waits.get().met_target is True


def test_reassign_moves_open_conversations(conversation, owner):
    other = UserFactory()
    receive(conversation, seoul(2025, 11, 17, 10, 0))
    assert conversations_reassign(from_user=owner, to_user=other, actor=other) == 1
    conversation.refresh_from_db()
    assert conversation.owner == other
    assert TimelineEvent.objects.filter(kind="conversation.reassigned").exists()
