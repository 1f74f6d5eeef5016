"""AlimTalk notices: registered templates, every variable filled, consent, the SMS fallback."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.services import outbox_deliver
from followups.kakao.alimtalk import (
    alimtalk_send,
    alimtalk_template_register,
    delivery_results_sync,
    template_render,
)
from followups.kakao.models import AlimTalkTemplate, KakaoContactPreference, KakaoDelivery
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TEXT = "#{name}님, 문의가 접수되었습니다. #{due}까지 답변드리겠습니다."


@pytest.fixture
def template(kakao_connected, fake_provider, manager):
    fake_provider.add_template("ACK01", TEXT)
    return alimtalk_template_register(code="ACK01", name="접수 안내", purpose="acknowledgement", text=TEXT, by=manager)


@pytest.fixture
def consenting(db):
    contact = ContactFactory(name="김민지")
    KakaoContactPreference.objects.create(contact=contact, mobile="01012345678", alimtalk_consent=True)
    return contact


def test_every_variable_must_be_filled():
    with pytest.raises(ValidationError) as error:
        template_render(text=TEXT, values={"name": "민지", "due": " "})
    assert "#{due}" in str(error.value)
    assert template_render(text=TEXT, values={"name": "민지", "due": "내일"}).startswith("민지님")


def test_a_value_for_no_variable_is_refused():
    with pytest.raises(ValidationError):
        template_render(text=TEXT, values={"name": "a", "due": "b", "extra": "c"})


def test_the_template_text_must_be_the_one_the_provider_approved(kakao_connected, fake_provider, manager):
    fake_provider.add_template("ACK02", TEXT)
    with pytest.raises(ValidationError) as error:
        alimtalk_template_register(code="ACK02", name="n", purpose="other", text=TEXT + "!", by=manager)
    assert "not the text Kakao approved" in str(error.value)
    with pytest.raises(ValidationError):
        alimtalk_template_register(code="NOPE", name="n", purpose="other", text=TEXT, by=manager)
    assert not AlimTalkTemplate.objects.exists()


def test_a_notice_reaches_the_provider_filled_with_an_sms_fallback(template, consenting, fake_provider):
    values = {"name": "김민지", "due": "12월 9일 오전 10시"}
    email = alimtalk_send(template=template, contact=consenting, values=values, kind="acknowledgement")
    assert email.transport == "kakao_alimtalk"
    assert outbox_deliver(email_id=email.pk)[0] == "sent"
    (sent,) = fake_provider.alimtalks
    assert sent["recipientNo"] == "01012345678"
    assert sent["templateParameter"] == values
    assert sent["content"] == "김민지님, 문의가 접수되었습니다. 12월 9일 오전 10시까지 답변드리겠습니다."
    assert sent["resend"]["isResend"] is True
    assert sent["resend"]["resendSendNo"] == "02-123-4567"
    assert sent["resend"]["resendContent"] == sent["content"]
    request = next(r for r in fake_provider.requests if r["path"].endswith("/messages") and r["method"] == "POST")
    assert request["headers"]["x-nc-api-idempotency-key"] == f"gonggam-{email.pk}"
    assert KakaoDelivery.objects.get(outbound_email=email).request_id


def test_the_sms_fallback_result_is_read_back_and_recorded(template, consenting, fake_provider):
    fake_provider.no_kakao = {"01012345678"}
    email = alimtalk_send(template=template, contact=consenting, values={"name": "a", "due": "b"}, kind="other")
    outbox_deliver(email_id=email.pk)
    assert delivery_results_sync() == 1
    delivery = KakaoDelivery.objects.get(outbound_email=email)
    assert delivery.message_status == "FAILED"
    assert delivery.sms_fallback_status == "RSC04"
    assert delivery.results_checked_at is not None
    # A final result is not asked again.
    asked = len(fake_provider.requests)
    assert delivery_results_sync() == 0
    assert len(fake_provider.requests) == asked


def test_a_retried_send_is_not_sent_twice(template, consenting, fake_provider):
    email = alimtalk_send(template=template, contact=consenting, values={"name": "a", "due": "b"}, kind="other")
    gateway_key = f"gonggam-{email.pk}"
    outbox_deliver(email_id=email.pk)
    # As if the answer had been lost: the same row is attempted again.
    OutboundEmail.objects.filter(pk=email.pk).update(status="pending", next_attempt_at=timezone.now())
    assert outbox_deliver(email_id=email.pk)[0] == "sent"
    assert len(fake_provider.alimtalks) == 1
    assert gateway_key in fake_provider._idempotency


@pytest.mark.parametrize(
    "preference",
    [
        {"mobile": "", "alimtalk_consent": True},
        {"mobile": "01012345678", "alimtalk_consent": False},
        {"mobile": "01012345678", "alimtalk_consent": True, "stopped_at": timezone.now()},
    ],
)
def test_only_a_consenting_contact_with_a_mobile_who_did_not_stop_gets_one(template, preference):
    contact = ContactFactory()
    KakaoContactPreference.objects.create(contact=contact, **preference)
    with pytest.raises(ValidationError):
        alimtalk_send(template=template, contact=contact, values={"name": "a", "due": "b"}, kind="other")
    assert not OutboundEmail.objects.exists()


def test_a_kakao_message_gets_its_acknowledgement_by_alimtalk_once_a_day(client, template, consenting, fake_provider):
    from followups.kakao.inbound import kakao_inbound_process
    from followups.kakao.models import KakaoInbound
    from followups.models import ResponsePolicy, ensure_default_policies

    from .fake_provider import FakeKakaoProvider

    ensure_default_policies()
    ResponsePolicy.objects.update(send_acknowledgement=True)
    consenting.kakao_id = "user-ack"
    consenting.save()
    from followups.kakao.channel import kakao_channel

    for text in ("첫 문의", "추가 문의"):
        payload = FakeKakaoProvider.chat_payload(user_key="user-ack", text=text)
        client.post(f"/kakao/inbound/{kakao_channel().inbound_secret}/", payload, content_type="application/json")
        kakao_inbound_process(inbound_id=KakaoInbound.objects.latest("id").pk)
    (email,) = OutboundEmail.objects.filter(transport="kakao_alimtalk")
    assert email.kind == "acknowledgement"
    outbox_deliver(email_id=email.pk)
    (sent,) = fake_provider.alimtalks
    assert sent["templateParameter"]["name"] == "김민지"
    assert sent["templateParameter"]["due"]
