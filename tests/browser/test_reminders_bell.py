"""The owner sees the bell count rise when a reminder comes in, and opens the conversation from
the notification (Chromium through Playwright, live server, phone-sized screen)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, ResponsePolicy, ensure_default_policies
from followups.reminders.services import reminders_run
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.browser


def test_the_bell_count_rises_and_the_notification_opens_the_conversation(live_server, page, login):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    # Around the clock, so the reminder is due whatever hour the test runs at.
    ResponsePolicy.objects.update(around_the_clock=True, first_response_minutes=480)
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    client = ClientFactory(name="Blue Harbor <Coffee>", account_owner=minji)
    conversation = conversation_start(
        client=client, contact=ContactFactory(client=client), subject="Menu update", channel="email", actor=minji
    )

    page.set_viewport_size({"width": 390, "height": 844})
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    count = page.locator("#notification-count")
    expect(page.locator("#notification-count")).to_have_text(re.compile(r"^\s*0\s*$"))  # no eval: the CSP
    assert count.inner_text() == "0"

    # The customer wrote 9 hours ago: the due level (480 minutes) has passed; the beat runs.
    message_receive(
        conversation=conversation,
        body="When is the menu live?",
        channel=Channel.EMAIL,
        occurred_at=timezone.now() - dt.timedelta(hours=9),
    )
    reminders_run()

    page.reload()
    expect(page.locator("#notification-count")).to_have_text(re.compile(r"^\s*1\s*$"))  # no eval: the CSP
    # On a phone the navigation is collapsed behind the toggler.
    page.click("button.navbar-toggler")
    page.wait_for_selector("#mainnav.show")  # the collapse animation has finished
    page.click("#notification-bell")
    page.wait_for_url(f"{live_server.url}/notifications/")
    item = page.locator("#notification-list [data-notification]")
    assert item.count() == 1
    assert "Reply due now: Menu update (Blue Harbor <Coffee>)" in item.inner_text()
    item.click()
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    expect(page.locator("#notification-count")).to_have_text(re.compile(r"^\s*0\s*$"))  # no eval: the CSP
