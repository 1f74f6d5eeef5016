"""KakaoTalk end to end: a customer's 상담톡 message arrives through the webhook (delivered twice,
as providers do), a real Celery worker imports it, it shows in the inbox with the clock running,
the owner answers from the conversation page while the provider fails twice, and the customer
gets the reply once; after the 30-day session, the page offers AlimTalk, which reaches the
provider with every variable filled and an SMS fallback (Chromium, live server, loopback
provider, a Celery worker)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.kakao.alimtalk import alimtalk_template_register
from followups.kakao.models import KakaoContactPreference, KakaoUser
from followups.models import Conversation, Message, ensure_default_policies
from tests.conftest import wait_until
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory
from tests.followups.kakao import fake_provider as fp

pytestmark = pytest.mark.browser

TEMPLATE = "#{name}님, 문의하신 #{subject} 건의 답변이 준비되었습니다. 확인 부탁드립니다."


@pytest.fixture
def fake_provider():
    provider = fp.FakeKakaoProvider().start()
    yield provider
    provider.stop()


def test_a_kakao_message_is_answered_once_despite_two_failures_and_alimtalk_follows_the_session(
    live_server, page, login, celery_processes, fake_provider
):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    contact = ContactFactory(
        client=ClientFactory(name="한빛 물류", account_owner=minji), name="김하늘", kakao_id="user-hanbit"
    )
    KakaoContactPreference.objects.create(contact=contact, mobile="01055550000", alimtalk_consent=True)
    channel = fp.connect(fake_provider, by=minji)
    fake_provider.add_template("READY01", TEMPLATE)
    alimtalk_template_register(code="READY01", name="답변 준비", purpose="chat_closed", text=TEMPLATE, by=minji)
    # Retries a second apart: the two refusals cost two seconds.
    celery_processes("worker", OUTBOX_RETRY_BASE_SECONDS=1, OUTBOX_RETRY_MAX_SECONDS=1)

    # The provider delivers the customer's message, and (its answer being slow) once more.
    webhook = f"{live_server.url}{reverse('followups:kakao_inbound', args=[channel.inbound_secret])}"
    payload = fake_provider.chat_payload(user_key="user-hanbit", text="배송 조회 화면이 안 열려요", serial="kk-1")
    responses = fake_provider.deliver(webhook, payload, times=2)
    assert [r.status_code for r in responses] == [200, 200]
    message = wait_until(
        lambda: Message.objects.filter(body="배송 조회 화면이 안 열려요").first(), 20, message="import"
    )
    conversation = message.conversation
    assert Message.objects.count() == 1

    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    row = page.locator(f"#inbox-list [data-conversation='{conversation.pk}']")
    assert "배송 조회 화면이 안 열려요" in row.inner_text()
    assert row.locator(".badge").count() >= 1  # the clock's due badge
    assert Conversation.objects.get(pk=conversation.pk).reply_due_at is not None

    # The owner answers on KakaoTalk; the provider fails twice before it takes the reply.
    fake_provider.fail_next = [500, 500]
    row.click()
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    assert page.locator("#kakao-session").inner_text().startswith("The chat is open")
    assert page.locator("#reply-form select[name=channel]").input_value() == "kakao"
    page.fill("#reply-form textarea[name=body]", "확인했습니다. 오늘 오후에 수정 배포합니다.")
    page.click("#reply-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    assert "queued for sending on KakaoTalk" in page.content()
    wait_until(lambda: fake_provider.chats, 20, message="the reply reaching the provider")
    writes = [r for r in fake_provider.requests if r["path"] == "/v1/chat/write"]
    assert len(writes) == 3  # two refused with 500, one taken
    assert [c["message"] for c in fake_provider.chats] == ["확인했습니다. 오늘 오후에 수정 배포합니다."]
    assert fake_provider.chats[0]["user_key"] == "user-hanbit"

    # A month later the chat session has ended: the page says so and offers AlimTalk.
    KakaoUser.objects.filter(user_key="user-hanbit").update(last_inbound_at=timezone.now() - dt.timedelta(days=31))
    page.reload()
    assert page.locator("[data-testid=kakao-session-ended]").count() == 1
    form = page.locator("[data-testid=alimtalk-READY01]")
    form.locator("input[name=var_name]").fill("김하늘")
    form.locator("input[name=var_subject]").fill("배송 조회")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    (sent,) = wait_until(lambda: fake_provider.alimtalks, 20, message="the AlimTalk reaching the provider")
    assert sent["recipientNo"] == "01055550000"
    assert sent["templateParameter"] == {"name": "김하늘", "subject": "배송 조회"}
    assert "#{" not in sent["content"]
    assert sent["resend"]["isResend"] is True and sent["resend"]["resendContent"] == sent["content"]
    assert len(fake_provider.chats) == 1
