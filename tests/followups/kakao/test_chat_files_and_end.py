"""On a KakaoTalk conversation: the composer sends photos and files (uploaded to the provider
first, then chat/write with IM or FI), refuses what KakaoTalk cannot carry with a clear message,
and staff end the chat from the page (Happytalk's chat/end)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.services import outbox_deliver
from clients.models import TimelineEvent
from followups.kakao.inbound import kakao_inbound_process
from followups.kakao.models import KakaoInbound, KakaoUser
from followups.models import Conversation, ensure_default_policies
from tests.factories import ContactFactory

from . import fake_provider as fp

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def chat(client, kakao_connected):
    ensure_default_policies()
    contact = ContactFactory(kakao_id="user-f")
    payload = fp.FakeKakaoProvider.chat_payload(user_key="user-f", text="사진 보내주세요")
    client.post(f"/kakao/inbound/{kakao_connected.inbound_secret}/", payload, content_type="application/json")
    kakao_inbound_process(inbound_id=KakaoInbound.objects.get().pk)
    return Conversation.objects.get(contact=contact)


def deliver_all():
    outcomes = []
    for email in OutboundEmail.objects.filter(status="pending").order_by("id"):
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        outcomes.append(outbox_deliver(email_id=email.pk)[0])
    return outcomes


def post_reply(http, conversation, *files, body="요청하신 화면입니다."):
    return http.post(
        f"/conversations/{conversation.pk}/reply/", {"channel": "kakao", "body": body, "attachments": list(files)}
    )


# --- photos and files -------------------------------------------------------------------------
def test_a_photo_from_the_composer_is_uploaded_and_sent_as_an_image_once(chat, client, fake_provider):
    client.force_login(chat.owner)
    response = post_reply(client, chat, SimpleUploadedFile("screen.png", fp.PNG, content_type="image/png"))
    assert response.status_code == 302
    rows = list(OutboundEmail.objects.filter(transport="kakao_chat").order_by("id"))
    assert len(rows) == 2  # the text, then the photo
    assert deliver_all() == ["sent", "sent"]
    text, image = fake_provider.chats
    assert (text["message_type"], text["message"]) == ("TX", "요청하신 화면입니다.")
    assert image["message_type"] == "IM"
    assert image["serial_number"] == f"gonggam-{rows[1].pk}"
    (upload,) = fake_provider.uploads
    assert upload["path"] == "/v1/image/upload"
    assert upload["fields"]["sender_key"] == fp.SENDER_KEY
    assert upload["files"]["image"] == ("screen.png", fp.PNG)
    assert image["image_url"] == upload["url"]


def test_a_file_goes_as_fi_with_its_name_and_size_and_a_retry_is_not_sent_twice(chat, client, fake_provider):
    client.force_login(chat.owner)
    post_reply(client, chat, SimpleUploadedFile("견적서.pdf", PDF, content_type="application/pdf"), body="견적서입니다")
    fake_provider.deliver_then_fail = 2  # the text's answer is lost, then the file's
    assert deliver_all() == ["retry", "retry"]
    assert deliver_all() == ["sent", "sent"]
    text, document = fake_provider.chats
    assert text["message"] == "견적서입니다"
    assert document["message_type"] == "FI"
    assert (document["file_name"], document["file_size"]) == ("견적서.pdf", len(PDF))
    assert document["file_url"] in {u["url"] for u in fake_provider.uploads}
    assert {u["path"] for u in fake_provider.uploads} == {"/v1/file/upload"}


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), content_type="image/png"), "5"),
        (SimpleUploadedFile("setup.exe", b"MZ" + b"0" * 100, content_type="application/octet-stream"), "setup.exe"),
    ],
    ids=["photo-over-5-MB", "program"],
)
def test_what_kakaotalk_cannot_carry_is_refused_with_a_clear_message(chat, client, upload, words):
    client.force_login(chat.owner)
    response = post_reply(client, chat, upload)
    assert response.status_code == 400
    errors = " ".join(response.context["reply_form"].errors["attachments"])
    assert "KakaoTalk" in errors and words in errors
    assert not OutboundEmail.objects.filter(transport="kakao_chat").exists()
    assert not chat.messages.filter(direction="out").exists()


def test_files_on_a_call_log_are_still_refused(chat, client):
    client.force_login(chat.owner)
    response = client.post(
        f"/conversations/{chat.pk}/reply/",
        {"channel": "phone", "body": "x", "attachments": [SimpleUploadedFile("a.png", fp.PNG)]},
    )
    assert response.status_code == 400
    form = response.context["reply_form"]
    assert "channel" not in form.errors
    assert "email or KakaoTalk only" in " ".join(form.errors["attachments"])


# --- ending the chat --------------------------------------------------------------------------
def test_ending_the_chat_from_the_page_calls_chat_end_and_closes_the_session(chat, client, fake_provider):
    client.force_login(chat.owner)
    page = client.get(f"/conversations/{chat.pk}/").content.decode()
    assert f'action="/conversations/{chat.pk}/kakao-end/"' in page
    response = client.post(f"/conversations/{chat.pk}/kakao-end/")
    assert response.status_code == 302
    assert fake_provider.ended == ["user-f"]
    request = next(r for r in fake_provider.requests if r["path"] == "/v1/chat/end")
    assert request["body"] == {"user_key": "user-f", "sender_key": fp.SENDER_KEY}
    assert request["headers"]["ht-client-id"] == fp.CLIENT_ID
    user = KakaoUser.objects.get(user_key="user-f")
    assert not user.session_open()
    event = TimelineEvent.objects.get(kind="kakao.chat_ended", client=chat.client)
    assert event.actor == chat.owner
    assert f"KakaoTalk chat ended: {chat.subject}" in client.get(f"/clients/{chat.client_id}/").content.decode()
    page = client.get(f"/conversations/{chat.pk}/").content.decode()
    assert 'data-testid="kakao-session-ended"' in page
    assert "kakao-end/" not in page
    # A reply by KakaoTalk is now refused, offering AlimTalk or email.
    response = post_reply(client, chat, body="추가 안내")
    assert "The KakaoTalk chat ended" in response.content.decode()


def test_when_the_provider_refuses_the_chat_stays_open_and_staff_are_told(chat, client, fake_provider):
    client.force_login(chat.owner)
    fake_provider.fail_next = [503]
    response = client.post(f"/conversations/{chat.pk}/kakao-end/", follow=True)
    assert "could not end the chat" in response.content.decode()
    assert KakaoUser.objects.get(user_key="user-f").session_open()
    assert fake_provider.ended == []


def test_a_conversation_without_a_kakao_chat_has_nothing_to_end(client, kakao_connected, owner):
    from followups.conversations.services import conversation_start

    contact = ContactFactory(client__account_owner=owner)
    conversation = conversation_start(client=contact.client, contact=contact, subject="s", channel="kakao", actor=owner)
    client.force_login(owner)
    response = client.post(f"/conversations/{conversation.pk}/kakao-end/", follow=True)
    assert "no KakaoTalk chat to end" in response.content.decode()


def test_the_service_never_drops_files_silently(chat):
    from django.core.exceptions import ValidationError

    from followups.conversations.services import conversation_reply

    photo = SimpleUploadedFile("a.png", fp.PNG, content_type="image/png")
    for channel, extra in (("phone", {}), ("kakao", {"occurred_at": timezone.now()})):
        with pytest.raises(ValidationError) as error:
            conversation_reply(
                conversation=chat, author=chat.owner, body="x", channel=channel, attachments=[photo], **extra
            )
        assert "attachments" in error.value.message_dict
    assert not chat.messages.filter(direction="out").exists()
