"""The 상담톡 webhook and the import of its messages (against the loopback provider's shapes)."""

import pytest
from django.urls import reverse

from followups.kakao.inbound import kakao_inbound_process
from followups.kakao.models import KakaoAttachment, KakaoContactPreference, KakaoInbound, KakaoUser
from followups.mailin.models import UnknownSender
from followups.models import Channel, Conversation, Message, ensure_default_policies
from followups.reminders.models import Notification
from tests.factories import ContactFactory

from .fake_provider import FakeKakaoProvider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _policies(db):
    ensure_default_policies()


def _webhook(channel) -> str:
    return reverse("followups:kakao_inbound", args=[channel.inbound_secret])


def _deliver(client, channel, payload, times=1):
    responses = [client.post(_webhook(channel), payload, content_type="application/json") for _ in range(times)]
    return responses


def _import_all():
    for pk in KakaoInbound.objects.filter(state="queued").values_list("pk", flat=True):
        kakao_inbound_process(inbound_id=pk)


def test_a_wrong_secret_path_is_refused_and_stores_nothing(client, kakao_connected):
    payload = FakeKakaoProvider.chat_payload(user_key="user-1", text="hello")
    response = client.post(
        reverse("followups:kakao_inbound", args=["not-the-secret"]), payload, content_type="application/json"
    )
    assert response.status_code == 404
    assert not KakaoInbound.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, kakao_connected):
    response = client.post(_webhook(kakao_connected), "nope", content_type="application/json")
    assert response.status_code == 400


def test_a_message_for_another_channel_is_refused(client, kakao_connected):
    payload = FakeKakaoProvider.chat_payload(user_key="user-1", text="hello") | {"sender_key": "c" * 40}
    assert _deliver(client, kakao_connected, payload)[0].status_code == 400
    assert not KakaoInbound.objects.exists()


def test_a_repeated_delivery_is_stored_and_imported_once(client, kakao_connected):
    contact = ContactFactory(kakao_id="user-7")
    payload = FakeKakaoProvider.chat_payload(user_key="user-7", text="견적 문의드립니다", serial="m-1")
    responses = _deliver(client, kakao_connected, payload, times=3)
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["queued"] for r in responses] == [1, 0, 0]
    _import_all()
    _import_all()
    message = Message.objects.get()
    assert message.body == "견적 문의드립니다"
    assert message.channel == Channel.KAKAO
    assert message.author_contact == contact
    conversation = message.conversation
    assert conversation.contact == contact
    assert conversation.channel == Channel.KAKAO
    # The response clock runs, as for an email.
    assert conversation.status == Conversation.Status.WAITING_ON_US
    assert conversation.reply_due_at is not None
    # The owner is told.
    notice = Notification.objects.get(recipient=conversation.owner)
    assert notice.kind == "conversation.customer_wrote"
    assert KakaoUser.objects.get(user_key="user-7").contact == contact


def test_the_next_message_continues_the_open_kakao_conversation(client, kakao_connected):
    ContactFactory(kakao_id="user-8")
    for text in ("first", "second"):
        _deliver(client, kakao_connected, FakeKakaoProvider.chat_payload(user_key="user-8", text=text))
        _import_all()
    conversation = Conversation.objects.get()
    assert list(conversation.messages.values_list("body", flat=True)) == ["first", "second"]


def test_a_contact_is_found_by_the_phone_the_provider_gives(client, kakao_connected):
    contact = ContactFactory(phone="010-1234-5678")
    payload = FakeKakaoProvider.chat_payload(user_key="user-9", text="hi", phone_number="+82 10 1234 5678")
    _deliver(client, kakao_connected, payload)
    _import_all()
    assert Message.objects.get().author_contact == contact
    assert KakaoUser.objects.get(user_key="user-9").contact == contact


def test_a_stranger_waits_in_triage_like_an_unknown_email(client, kakao_connected):
    _deliver(
        client, kakao_connected, FakeKakaoProvider.chat_payload(user_key="user-x", text="누구세요", nickname="민수")
    )
    _import_all()
    conversation = Conversation.objects.get()
    assert conversation.client.is_placeholder
    assert conversation.channel == Channel.KAKAO
    triage = UnknownSender.objects.get(conversation=conversation)
    assert triage.name == "민수"
    # Their next message joins the same triage conversation.
    _deliver(client, kakao_connected, FakeKakaoProvider.chat_payload(user_key="user-x", text="again"))
    _import_all()
    assert Conversation.objects.count() == 1
    assert conversation.messages.count() == 2


def test_a_photo_is_downloaded_and_kept(client, kakao_connected, fake_provider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ContactFactory(kakao_id="user-p")
    payload = FakeKakaoProvider.chat_payload(
        user_key="user-p", text="", type="photo", attachment={"url": fake_provider.file_url("screen.png")}
    )
    _deliver(client, kakao_connected, payload)
    _import_all()
    attachment = KakaoAttachment.objects.get()
    assert attachment.kind == "image"
    assert attachment.filename == "screen.png"
    assert attachment.content_type == "image/png"
    assert attachment.file.read().startswith(b"\x89PNG")
    assert Message.objects.get().body == "(a photo)"


def test_stop_is_honoured_at_once(client, kakao_connected):
    contact = ContactFactory(kakao_id="user-s")
    KakaoContactPreference.objects.create(contact=contact, mobile="01012345678", alimtalk_consent=True)
    _deliver(client, kakao_connected, FakeKakaoProvider.chat_payload(user_key="user-s", text="수신거부"))
    _import_all()
    preference = KakaoContactPreference.objects.get(contact=contact)
    assert preference.stopped_at is not None
    assert not preference.may_receive_alimtalk


def test_the_customer_leaving_ends_the_session(client, kakao_connected):
    ContactFactory(kakao_id="user-l")
    _deliver(client, kakao_connected, FakeKakaoProvider.chat_payload(user_key="user-l", text="bye"))
    _import_all()
    assert KakaoUser.objects.get(user_key="user-l").session_open()
    _deliver(client, kakao_connected, FakeKakaoProvider.chat_payload(user_key="user-l", text="", type="leave"))
    _import_all()
    assert not KakaoUser.objects.get(user_key="user-l").session_open()


def test_staff_record_a_mobile_consent_and_a_stop_on_the_timeline(kakao_connected, manager):
    from clients.models import TimelineEvent
    from followups.kakao.identity import kakao_preference_save

    contact = ContactFactory()
    kakao_preference_save(contact=contact, mobile="010-5555-0000", alimtalk_consent=True, stopped=False, actor=manager)
    preference = KakaoContactPreference.objects.get(contact=contact)
    assert preference.mobile == "01055550000" and preference.may_receive_alimtalk
    kakao_preference_save(contact=contact, mobile="010-5555-0000", alimtalk_consent=True, stopped=True, actor=manager)
    assert not KakaoContactPreference.objects.get(contact=contact).may_receive_alimtalk
    assert TimelineEvent.objects.filter(client=contact.client, kind="kakao.preference").count() == 2


def test_the_conversation_panel_links_the_photo_for_download(
    client, kakao_connected, fake_provider, settings, tmp_path, manager_client
):
    settings.MEDIA_ROOT = tmp_path
    ContactFactory(kakao_id="user-d")
    payload = FakeKakaoProvider.chat_payload(
        user_key="user-d", text="이 화면이요", type="photo", attachment={"url": fake_provider.file_url("bug.png")}
    )
    _deliver(client, kakao_connected, payload)
    _import_all()
    conversation = Conversation.objects.get()
    page = manager_client.get(conversation.get_absolute_url()).content.decode()
    attachment = KakaoAttachment.objects.get()
    url = reverse("followups:kakao_attachment", args=[attachment.pk])
    assert url in page and "bug.png" in page
    response = manager_client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
