"""conversation_merge and message_move_out: what moves, the tombstone, the clock replayed on the
merged thread, reminders never sent twice (through the real beat run), and every refusal.

The agency calendar is the default one (Asia/Seoul, Monday to Friday 09:00-18:00). Standard tier:
first response within 480 business minutes, warning at 75% (360), escalation 120 after due.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from agency_crm.outbox import OutboundEmail
from clients import search
from clients.models import TimelineEvent
from followups.conversations.business_calendar import add_business_minutes
from followups.conversations.hours import load_calendar
from followups.conversations.services import (
    conversation_merge,
    conversation_recompute_clock,
    conversation_reply,
    conversation_start,
    message_move_out,
    message_receive,
    note_add,
    wait_close_no_reply_needed,
)
from followups.models import (
    Channel,
    Conversation,
    InboundAttachment,
    InboundEmail,
    InternalNote,
    Message,
    Notification,
    Reminder,
    ReminderLevel,
    ResponsePolicy,
    ResponseWait,
    ThreadMove,
)
from followups.reminders.services import reminders_run
from tests.factories import ManagerFactory
from tests.followups.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
MONDAY = dt.datetime(2025, 11, 17, tzinfo=SEOUL)


def at(hour, minute=0, day=MONDAY):
    return day.replace(hour=hour, minute=minute)


def travel(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def customer(owner):
    client = ClientFactory(account_owner=owner, name="블루하버")
    return ContactFactory(client=client, name="정우성", email="woosung@blue.example")


def conversation(customer, actor, channel, subject, *asked):
    """A conversation of `customer` whose customer wrote at each of `asked` (the clock frozen there)."""
    with travel(asked[0] if asked else at(9)):
        started = conversation_start(
            client=customer.client, contact=customer, subject=subject, channel=channel, actor=actor
        )
    for moment in asked:
        with travel(moment):
            message_receive(conversation=started, body=f"{subject} {moment:%H:%M}", channel=channel)
    return started


def waits_of(conversation):
    return list(
        ResponseWait.objects.filter(conversation=conversation)
        .order_by("started_at", "id")
        .values_list("pk", "started_by_id", "kind", "started_at", "reply_due_at", "closed_at", "closed_reason")
    )


def warnings_and_dues():
    kinds = list(Notification.objects.filter(kind__startswith="reminder.").values_list("kind", flat=True))
    return kinds.count("reminder.warning"), kinds.count("reminder.due")


# --- what moves -------------------------------------------------------------------------------
def test_a_merge_moves_messages_notes_files_topics_and_sent_emails(customer, owner):
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡 배송 문의", at(10))
    email = conversation(customer, owner, Channel.EMAIL, "Delivery", at(11))
    with travel(at(11, 30)):
        note_add(conversation=kakao, author=owner, body="택배사 확인 중")
        kakao.tags.create(name="배송")
        conversation_reply(conversation=kakao, author=owner, body="확인하겠습니다", channel=Channel.EMAIL)
        received = InboundEmail.objects.create(
            message_id="<photo@blue.example>", source="imap", threaded_by="headers", conversation=kakao
        )
        InboundAttachment.objects.create(email=received, filename="송장.jpg", content_type="image/jpeg", size=10)
    with travel(at(12)):
        merged = conversation_merge(source=kakao, target=email, actor=owner)

    assert merged == email
    assert Message.objects.filter(conversation=email).count() == 3
    assert not Message.objects.filter(conversation=kakao).exists()
    assert list(InternalNote.objects.filter(conversation=email).values_list("body", flat=True)) == ["택배사 확인 중"]
    assert list(email.tags.values_list("name", flat=True)) == ["배송"]
    received.refresh_from_db()
    assert received.conversation == email and received.attachments.get().filename == "송장.jpg"
    assert OutboundEmail.objects.get().related["conversation_id"] == email.pk
    kakao.refresh_from_db()
    assert kakao.merged_into == email and kakao.status == Conversation.Status.CLOSED
    assert ThreadMove.objects.get().message_count == 2


def test_a_merge_is_on_the_timeline_with_who_merged_in_the_readers_language(customer, owner):
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡 문의", at(10))
    email = conversation(customer, owner, Channel.EMAIL, "Email question", at(11))
    with travel(at(12)):
        conversation_merge(source=kakao, target=email, actor=owner)
    event = TimelineEvent.objects.get(kind="conversation.merged")
    assert event.actor == owner and event.url == email.get_absolute_url()
    with translation.override("en"):
        assert event.text == "Conversation 카톡 문의 merged into Email question (1 messages)"
    with translation.override("ko"):
        assert "병합" in event.text and "Email question" in event.text


def test_the_tombstone_is_listed_nowhere_and_its_url_opens_the_target(customer, owner, owner_client):
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡 배송", at(10))
    email = conversation(customer, owner, Channel.EMAIL, "Email 배송", at(11))
    with travel(at(12)):
        conversation_merge(source=kakao, target=email, actor=owner)
    response = owner_client.get(kakao.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == email.get_absolute_url()
    inbox = owner_client.get("/inbox/").content.decode()
    assert "Email 배송" in inbox and "카톡 배송" not in inbox
    listing = owner_client.get("/conversations/").content.decode()
    assert "Email 배송" in listing and "카톡 배송" not in listing
    providers = {provider.key: provider for provider in search.providers()}
    assert [hit.title for hit in providers["conversations"].search("배송", 10)] == ["Email 배송"]
    hits = providers["messages"].search("배송", 10)
    assert len(hits) == 2 and all(hit.url.startswith(email.get_absolute_url()) for hit in hits)


def test_a_reply_posted_to_the_tombstone_is_refused(customer, owner):
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡", at(10))
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(11))
    with travel(at(12)):
        conversation_merge(source=kakao, target=email, actor=owner)
        with pytest.raises(ValidationError, match="merged into another one"):
            conversation_reply(conversation=kakao, author=owner, body="Hi", channel=Channel.KAKAO)


# --- the clock, replayed once on the merged thread ---------------------------------------------
def test_the_earliest_unanswered_customer_message_starts_the_merged_wait(customer, owner):
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(10), at(14))
    with travel(at(10, 30)):
        # Answered at 10:30, so the 14:00 message started a next-reply wait.
        conversation_reply(conversation=email, author=owner, body="Yes", channel=Channel.EMAIL, occurred_at=at(10, 30))
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡", at(11))
    with travel(at(15)):
        conversation_merge(source=kakao, target=email, actor=owner)
    email.refresh_from_db()
    kakao_message = Message.objects.get(body="카톡 11:00")
    open_wait = ResponseWait.objects.get(conversation=email, closed_at__isnull=True)
    assert open_wait.started_by == kakao_message and open_wait.kind == ResponseWait.Kind.NEXT
    policy = ResponsePolicy.for_tier(customer.client.response_tier, channel=Channel.EMAIL)
    assert email.awaiting_since == at(11)
    assert email.reply_due_at == add_business_minutes(at(11), policy.next_reply_minutes, load_calendar())
    assert email.status == Conversation.Status.WAITING_ON_US
    # Two waits in all (answered, open), none left on the tombstone, and a replay from scratch
    # changes nothing: the merge's one replay already gave the thread's waits.
    before = waits_of(email)
    assert len(before) == 2 and not ResponseWait.objects.filter(conversation=kakao).exists()
    with travel(at(15)):
        conversation_recompute_clock(conversation=Conversation.objects.get(pk=email.pk))
    assert waits_of(email) == before


def test_a_no_reply_needed_decision_moves_with_its_thread(customer, owner):
    kakao = conversation(customer, owner, Channel.KAKAO, "고마워요", at(10))
    with travel(at(10, 5)):
        wait_close_no_reply_needed(conversation=kakao, actor=owner, reason="감사 인사")
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(11))
    with travel(at(12)):
        conversation_merge(source=kakao, target=email, actor=owner)
    closed, open_wait = ResponseWait.objects.filter(conversation=email).order_by("started_at")
    assert closed.closed_reason == ResponseWait.ClosedReason.NO_REPLY_NEEDED
    assert open_wait.is_open and open_wait.started_at == at(11)


# --- reminders, through the real beat run -------------------------------------------------------
def test_a_level_already_reminded_for_the_source_is_not_reminded_again(customer, owner):
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡", at(9, 30))  # warning 15:30, due 17:30
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(10))  # warning 16:00, due 18:00
    with travel(at(15, 45)):
        reminders_run()
    assert warnings_and_dues() == (1, 0)  # the KakaoTalk wait's warning
    with travel(at(15, 50)):
        conversation_merge(source=kakao, target=email, actor=owner)
    # The merged wait starts with the 09:30 message, whose warning was sent: it is not sent again,
    # and the email's own 16:00 warning belongs to a wait that no longer exists.
    warned = Reminder.objects.get(level=ReminderLevel.WARNING)
    assert warned.wait.conversation_id == email.pk and warned.wait.is_open
    for moment in (at(16, 5), at(17, 35), at(17, 59)):
        with travel(moment):
            reminders_run()
    assert warnings_and_dues() == (1, 1)
    assert Reminder.objects.filter(level=ReminderLevel.DUE).count() == 1
    assert all(n.conversation_id == email.pk for n in Notification.objects.all())


def test_two_waits_both_warned_give_one_merged_wait_that_warns_no_more(customer, owner):
    kakao = conversation(customer, owner, Channel.KAKAO, "카톡", at(10))
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(9, 30))
    with travel(at(16, 5)):
        reminders_run()
    assert warnings_and_dues() == (2, 0)
    with travel(at(16, 10)):
        conversation_merge(source=kakao, target=email, actor=owner)
    for moment in (at(16, 15), at(17, 35), at(18)):
        with travel(moment):
            reminders_run()
    assert warnings_and_dues() == (2, 1)
    assert ResponseWait.objects.filter(closed_at__isnull=True).count() == 1


# --- refusals ---------------------------------------------------------------------------------
def test_a_conversation_cannot_be_merged_into_itself(customer, owner):
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(10))
    with pytest.raises(ValidationError, match="into itself"):
        conversation_merge(source=email, target=email, actor=owner)


def test_only_conversations_of_one_client_merge(customer, owner):
    email = conversation(customer, owner, Channel.EMAIL, "Email", at(10))
    stranger = ContactFactory(client=ClientFactory(account_owner=owner))
    theirs = conversation(stranger, owner, Channel.KAKAO, "Other client", at(10))
    with pytest.raises(ValidationError, match="same client"):
        conversation_merge(source=theirs, target=email, actor=owner)
    assert Message.objects.filter(conversation=theirs).count() == 1


def test_nothing_merges_into_or_out_of_a_merged_conversation(customer, owner):
    first = conversation(customer, owner, Channel.KAKAO, "First", at(10))
    second = conversation(customer, owner, Channel.EMAIL, "Second", at(10))
    third = conversation(customer, owner, Channel.PHONE, "Third", at(10))
    conversation_merge(source=first, target=second, actor=owner)
    with pytest.raises(ValidationError, match="First was merged into another conversation; choose that one"):
        conversation_merge(source=third, target=first, actor=owner)
    with pytest.raises(ValidationError, match="already merged"):
        conversation_merge(source=first, target=third, actor=owner)


def test_merging_needs_a_manager_or_the_owner_of_both(customer, owner, other_staff):
    mine = conversation(customer, owner, Channel.KAKAO, "Mine", at(10))
    theirs = conversation(customer, owner, Channel.EMAIL, "Theirs", at(10))
    Conversation.objects.filter(pk=theirs.pk).update(owner=other_staff)
    with pytest.raises(PermissionDenied):
        conversation_merge(source=mine, target=theirs, actor=other_staff)  # owns only the target
    with pytest.raises(PermissionDenied):
        conversation_merge(source=mine, target=theirs, actor=owner)  # owns only the source
    assert conversation_merge(source=mine, target=theirs, actor=ManagerFactory()) == theirs


# --- moving a message out -----------------------------------------------------------------------
def test_a_message_moved_out_gets_a_conversation_and_both_clocks_are_replayed(customer, owner):
    email = conversation(customer, owner, Channel.EMAIL, "Invoice", at(10))
    with travel(at(11)):
        wrong = message_receive(conversation=email, body="다른 건인데요, 로그인이 안 돼요", channel=Channel.KAKAO)
        received = InboundEmail.objects.create(
            message_id="<wrong@blue.example>", source="imap", threaded_by="subject", conversation=email,
            customer_message=wrong,
        )  # fmt: skip
        conversation_reply(conversation=email, author=owner, body="청구서 보냈습니다", channel=Channel.EMAIL)
    with travel(at(12)):
        new = message_move_out(message=wrong, actor=owner)
    assert new.subject == "다른 건인데요, 로그인이 안 돼요" and new.channel == Channel.KAKAO and new.owner == owner
    assert list(new.messages.values_list("pk", flat=True)) == [wrong.pk]
    received.refresh_from_db()
    assert received.conversation == new
    new.refresh_from_db()
    assert new.status == Conversation.Status.WAITING_ON_US and new.awaiting_since == at(11)
    assert [w[1] for w in waits_of(new)] == [wrong.pk]
    assert [w[6] for w in waits_of(email)] == [ResponseWait.ClosedReason.ANSWERED]
    move = ThreadMove.objects.get()
    assert (move.kind, move.source, move.target, move.moved_by) == (ThreadMove.Kind.MOVE_OUT, email, new, owner)
    assert TimelineEvent.objects.filter(kind="conversation.split", actor=owner).exists()


def test_a_message_alone_in_its_conversation_is_not_moved_out(customer, owner):
    email = conversation(customer, owner, Channel.EMAIL, "Alone", at(10))
    with pytest.raises(ValidationError, match="already has a conversation of its own"):
        message_move_out(message=email.messages.get(), actor=owner)


def test_moving_a_message_out_needs_a_manager_or_the_owner(customer, owner, other_staff):
    email = conversation(customer, owner, Channel.EMAIL, "Two", at(10), at(11))
    with pytest.raises(PermissionDenied):
        message_move_out(message=email.messages.last(), actor=other_staff)
    assert Conversation.objects.count() == 1
