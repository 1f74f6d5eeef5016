"""A long conversation opens on its newest messages; staff open the earlier ones, and a search hit
for an old message lands on it (Chromium through Playwright, live server)."""

import datetime as dt

import pytest
from django.utils import timezone

from followups.conversations.selectors import THREAD_NEWEST
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import Channel, ensure_default_policies
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_long_thread_shows_its_newest_messages_then_all_and_a_search_hit_finds_an_old_one(live_server, page, login):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    client = ClientFactory(name="Hanbit Logistics", account_owner=minji)
    conversation = conversation_start(
        client=client, contact=ContactFactory(client=client), subject="Tracking page", channel="kakao", actor=minji
    )
    start = timezone.now() - dt.timedelta(days=40)
    for number in range(15):  # 30 messages, a day apart; the first is about a refund
        asked = start + dt.timedelta(days=number)
        body = "환불 요청합니다 (first)" if number == 0 else f"Question {number}"
        message_receive(conversation=conversation, body=body, channel=Channel.KAKAO, occurred_at=asked)
        conversation_reply(
            conversation=conversation,
            author=minji,
            body=f"Answer {number}",
            channel=Channel.KAKAO,
            occurred_at=asked + dt.timedelta(hours=1),
        )

    login("minji", PASSWORD)
    page.goto(f"{live_server.url}{conversation.get_absolute_url()}")
    thread = page.locator("#thread li.card")
    assert thread.count() == THREAD_NEWEST
    assert "Answer 14" in thread.last.inner_text()
    assert "환불" not in page.locator("#thread").inner_text()
    page.click("#earlier-messages a")
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}?thread=all#thread")
    assert page.locator("#thread li.card").count() == 30
    assert "환불 요청합니다 (first)" in page.locator("#thread li.card").first.inner_text()

    # Searching for the old message opens the whole thread at it.
    page.goto(f"{live_server.url}/search/?q=환불")
    page.click("a[href*='thread=all#message-']")
    first = conversation.messages.order_by("occurred_at").first()
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}?thread=all#message-{first.pk}")
    assert page.locator(f"#message-{first.pk}").is_visible()
