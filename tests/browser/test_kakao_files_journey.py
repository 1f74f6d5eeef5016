"""KakaoTalk photos and the end of a chat, end to end: on a KakaoTalk conversation the composer
offers files, the owner sends a photo with the text, a real Celery worker uploads it to the
provider and sends it as an image after the text, then the owner ends the chat from the page and
the provider receives chat/end (Chromium, live server, loopback provider, a Celery worker)."""

import pytest
from django.urls import reverse

from followups.kakao.models import KakaoUser
from followups.models import Message, ensure_default_policies
from tests.conftest import wait_until
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory
from tests.followups.kakao import fake_provider as fp

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_provider():
    provider = fp.FakeKakaoProvider().start()
    yield provider
    provider.stop()


def test_a_photo_goes_after_the_text_and_the_owner_ends_the_chat(
    live_server, page, login, celery_processes, fake_provider
):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    ContactFactory(client=ClientFactory(name="한빛 물류", account_owner=minji), name="김하늘", kakao_id="user-photo")
    channel = fp.connect(fake_provider, by=minji)
    celery_processes("worker")

    webhook = f"{live_server.url}{reverse('followups:kakao_inbound', args=[channel.inbound_secret])}"
    fake_provider.deliver(webhook, fake_provider.chat_payload(user_key="user-photo", text="오류 화면 보여주세요"))
    message = wait_until(lambda: Message.objects.filter(body="오류 화면 보여주세요").first(), 20, message="import")
    conversation = message.conversation

    login("minji", PASSWORD)
    page.goto(f"{live_server.url}{conversation.get_absolute_url()}")
    files = page.locator("#reply-form input[name=attachments]")
    assert files.is_visible()  # KakaoTalk carries photos: the file field is not email-only here
    page.fill("#reply-form textarea[name=body]", "이 화면이 맞나요?")
    files.set_input_files({"name": "screen.png", "mimeType": "image/png", "buffer": fp.PNG})
    page.click("#reply-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    chats = wait_until(lambda: len(fake_provider.chats) == 2 and fake_provider.chats, 20, message="text and photo")
    assert [c["message_type"] for c in chats] == ["TX", "IM"]
    assert chats[1]["image_url"] == fake_provider.uploads[0]["url"]
    assert fake_provider.uploads[0]["files"]["image"] == ("screen.png", fp.PNG)

    # In a chat, the file field hides again when the writer logs a call instead.
    page.select_option("#reply-form select[name=channel]", "phone")
    assert not files.is_visible()

    page.click("[data-testid=kakao-end]")
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    assert page.locator("[data-testid=kakao-session-ended]").count() == 1
    assert fake_provider.ended == ["user-photo"]
    assert not KakaoUser.objects.get(user_key="user-photo").session_open()
