"""A Korean colleague on a phone merges a customer's KakaoTalk conversation into her email one
about the same order, confirms, and reads one thread with one wait (Chromium, 390 × 844)."""

import datetime as dt

import pytest

from agency_crm.preferences.services import preferences_save
from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, Conversation, ResponseWait, ensure_default_policies
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_kakaotalk_conversation_is_merged_into_the_email_one_on_a_phone_in_korean(live_server, page, login):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    preferences_save(user=minji, changes={"language": "ko"})
    contact = ContactFactory(client=ClientFactory(name="한빛 물류", account_owner=minji), name="최지우")
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    threads = {}
    for channel, subject, body, when in (
        (Channel.EMAIL, "주문 #1024 배송 문의", "주문 #1024 언제 도착하나요?", earlier),
        (Channel.KAKAO, "카톡 문의", "메일 보냈는데 확인 부탁드려요", earlier + dt.timedelta(minutes=30)),
    ):
        threads[channel] = conversation_start(
            client=contact.client, contact=contact, subject=subject, channel=channel, actor=minji
        )
        message_receive(conversation=threads[channel], body=body, channel=channel, occurred_at=when)
    email, kakao = threads[Channel.EMAIL], threads[Channel.KAKAO]

    page.set_viewport_size({"width": 390, "height": 844})
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}{kakao.get_absolute_url()}")
    page.click("#merge-link")  # 다른 대화에 병합…
    page.locator(f"#merge-choices input[name=into][value='{email.pk}']").check()
    page.locator("#merge-choices button[type=submit]").click()
    confirm = page.locator("#merge-confirm")
    assert "주문 #1024 배송 문의" in confirm.inner_text() and "메시지 1개" in confirm.inner_text()
    button = page.locator("#merge-confirm-button")
    assert button.is_visible() and button.bounding_box()["x"] + button.bounding_box()["width"] <= 390
    button.click()  # 대화 병합

    page.wait_for_url(f"{live_server.url}{email.get_absolute_url()}")
    thread = page.locator("#thread").inner_text()
    assert "주문 #1024 언제 도착하나요?" in thread and "메일 보냈는데 확인 부탁드려요" in thread
    assert "님이" in page.locator("#thread-moves").inner_text()  # who merged, in Korean
    # The KakaoTalk conversation's link opens the merged one; one customer waits, since the email.
    page.goto(f"{live_server.url}{kakao.get_absolute_url()}")
    assert page.url == f"{live_server.url}{email.get_absolute_url()}"
    assert Conversation.objects.get(pk=kakao.pk).merged_into_id == email.pk
    open_wait = ResponseWait.objects.get(closed_at__isnull=True)
    assert open_wait.conversation_id == email.pk and abs(open_wait.started_at - earlier) < dt.timedelta(seconds=1)
