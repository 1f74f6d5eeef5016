"""Replies on KakaoTalk: through the outbox and its retries to chat/write, never twice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.services import outbox_deliver
from followups.conversations.services import conversation_reply
from followups.kakao.inbound import kakao_inbound_process
from followups.kakao.models import KakaoContactPreference, KakaoInbound, KakaoUser
from followups.kakao.replies import split_chat
from followups.models import Channel, Conversation, ensure_default_policies
from tests.factories import ContactFactory

from .fake_provider import FakeKakaoProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(client, kakao_connected):
    """A contact who wrote on KakaoTalk a minute ago, and their conversation."""
    ensure_default_policies()
    contact = ContactFactory(kakao_id="user-r")
    payload = FakeKakaoProvider.chat_payload(user_key="user-r", text="언제 되나요?")
    client.post(f"/kakao/inbound/{kakao_connected.inbound_secret}/", payload, content_type="application/json")
    kakao_inbound_process(inbound_id=KakaoInbound.objects.get().pk)
    return Conversation.objects.get(contact=contact)


def _deliver_all():
    outcomes = []
    for email in OutboundEmail.objects.filter(status="pending").order_by("id"):
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        outcomes.append(outbox_deliver(email_id=email.pk)[0])
    return outcomes


def test_a_reply_goes_to_chat_write_once_with_the_outbox_id_as_serial(chat, fake_provider):
    conversation_reply(conversation=chat, author=chat.owner, body="내일 오전에 배포합니다.", channel=Channel.KAKAO)
    email = OutboundEmail.objects.get(transport="kakao_chat")
    assert email.to == ["user-r"]
    assert _deliver_all() == ["sent"]
    assert len(fake_provider.chats) == 1
    sent = fake_provider.chats[0]
    assert sent["message"] == "내일 오전에 배포합니다."
    assert sent["message_type"] == "TX"
    assert sent["serial_number"] == f"gonggam-{email.pk}"
    assert sent["sender_key"] == "a" * 40
    # The reply stopped the clock like any other.
    chat.refresh_from_db()
    assert chat.status == Conversation.Status.WAITING_ON_CUSTOMER


def test_two_server_errors_are_retried_and_the_reply_arrives_once(chat, fake_provider):
    fake_provider.fail_next = [500, 500]
    conversation_reply(conversation=chat, author=chat.owner, body="ok", channel=Channel.KAKAO)
    assert _deliver_all() == ["retry"]
    assert _deliver_all() == ["retry"]
    assert _deliver_all() == ["sent"]
    assert [c["message"] for c in fake_provider.chats] == ["ok"]
    assert OutboundEmail.objects.get(transport="kakao_chat").attempts == 3


def test_a_lost_answer_is_retried_and_the_provider_drops_the_duplicate(chat, fake_provider):
    fake_provider.deliver_then_fail = 1
    conversation_reply(conversation=chat, author=chat.owner, body="once", channel=Channel.KAKAO)
    assert _deliver_all() == ["retry"]
    assert _deliver_all() == ["sent"]
    assert [c["message"] for c in fake_provider.chats] == ["once"]
    assert OutboundEmail.objects.get(transport="kakao_chat").kakao_delivery.result_code == "duplicate"


def test_a_refusal_fails_the_row_without_retrying(chat, fake_provider):
    KakaoUser.objects.filter(user_key="user-r").update(user_key="nobody-r")
    conversation_reply(conversation=chat, author=chat.owner, body="x", channel=Channel.KAKAO)
    assert _deliver_all() == ["failed"]
    assert fake_provider.chats == []


def test_a_slow_provider_times_out_and_is_retried(chat, fake_provider, monkeypatch):
    monkeypatch.setattr("followups.kakao.channel.TIMEOUT_SECONDS", 0.3)
    fake_provider.delay = 1.0
    conversation_reply(conversation=chat, author=chat.owner, body="slow", channel=Channel.KAKAO)
    assert _deliver_all() == ["retry"]
    assert "no answer within" in OutboundEmail.objects.get(transport="kakao_chat").last_error


def test_a_long_reply_is_split_into_messages_of_at_most_1000_characters(chat, fake_provider):
    body = ("가" * 600 + "\n") * 3
    conversation_reply(conversation=chat, author=chat.owner, body=body, channel=Channel.KAKAO)
    assert _deliver_all() == ["sent", "sent", "sent"]
    assert [len(c["message"]) for c in fake_provider.chats] == [600, 600, 600]
    assert len({c["serial_number"] for c in fake_provider.chats}) == 3


def test_split_cuts_at_spaces_and_never_passes_the_limit():
    parts = split_chat("word " * 500)
    assert all(len(p) <= 1000 for p in parts)
    assert " ".join(parts).split() == ["word"] * 500


def test_a_reply_too_long_for_chat_is_refused_with_a_clear_message(chat):
    with pytest.raises(ValidationError) as error:
        conversation_reply(conversation=chat, author=chat.owner, body="x" * 5001, channel=Channel.KAKAO)
    assert "at most 5 messages of 1000 characters" in str(error.value)
    assert not chat.messages.filter(direction="out").exists()


def test_after_30_days_the_reply_is_refused_and_alimtalk_or_email_offered(chat):
    KakaoUser.objects.filter(user_key="user-r").update(last_inbound_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(ValidationError) as error:
        conversation_reply(conversation=chat, author=chat.owner, body="late", channel=Channel.KAKAO)
    assert "The KakaoTalk chat ended" in str(error.value)
    assert "AlimTalk" in str(error.value) and "email" in str(error.value)
    assert not OutboundEmail.objects.filter(transport="kakao_chat").exists()


def test_a_contact_who_said_stop_gets_no_chat_reply(chat):
    KakaoContactPreference.objects.create(contact=chat.contact, stopped_at=timezone.now())
    with pytest.raises(ValidationError):
        conversation_reply(conversation=chat, author=chat.owner, body="hi", channel=Channel.KAKAO)


def test_a_reply_logged_as_kakao_without_a_chat_is_only_recorded(kakao_connected):
    ensure_default_policies()
    contact = ContactFactory()
    from followups.conversations.services import conversation_start

    conversation = conversation_start(client=contact.client, contact=contact, subject="s", channel="kakao", actor=None)
    conversation_reply(conversation=conversation, author=conversation.owner, body="sent from my phone", channel="kakao")
    assert not OutboundEmail.objects.exists()


def test_a_kakao_message_logged_after_the_fact_is_not_sent_again(chat):
    from followups.conversations.services import conversation_log

    conversation_log(
        contact=chat.contact, direction="out", channel=Channel.KAKAO, body="sent from my phone", actor=chat.owner
    )
    conversation_reply(
        conversation=chat,
        author=chat.owner,
        body="also from my phone",
        channel=Channel.KAKAO,
        occurred_at=timezone.now(),
    )
    assert chat.messages.filter(direction="out").count() == 2
    assert not OutboundEmail.objects.filter(transport="kakao_chat").exists()


def test_the_outbox_page_shows_a_kakao_reply(chat, manager_client):
    conversation_reply(conversation=chat, author=chat.owner, body="hello there", channel=Channel.KAKAO)
    email = OutboundEmail.objects.get(transport="kakao_chat")
    assert manager_client.get("/outbox/").status_code == 200
    response = manager_client.get(f"/outbox/{email.pk}/")
    assert response.status_code == 200
    assert "hello there" in response.content.decode()
