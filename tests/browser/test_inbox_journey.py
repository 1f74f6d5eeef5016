"""A staff member on a phone logs a customer's call, sees it at the top of the inbox with its due
time, replies, and sees it leave the inbox (Chromium through Playwright, live server)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from clients.models import ResponseTier
from followups.conversations.services import message_receive
from followups.models import Channel, Conversation, ensure_default_policies
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.browser
SEOUL = ZoneInfo("Asia/Seoul")


def test_log_a_call_see_it_first_in_the_inbox_reply_and_see_it_leave(live_server, page, login):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    waiting_client = ClientFactory(name="Blue Harbor Coffee")
    other = ConversationFactory(client=waiting_client, subject="Menu update")
    message_receive(conversation=other, body="When is the menu live?", channel=Channel.EMAIL)
    contact = ContactFactory(
        client=ClientFactory(name="한빛 물류", response_tier=ResponseTier.MAINTENANCE, account_owner=minji),
        name="김하늘",
    )
    ContactFactory(client=ClientFactory(name="누리 커피"), name="김하은", phone="010-9999-0000")

    page.set_viewport_size({"width": 390, "height": 844})
    console_errors = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    assert page.locator("#inbox-list [data-conversation]").count() == 1

    # The customer is picked by typing part of her given name (type-ahead over htmx).
    assert page.locator("#quick-log input[name=contact]").count() == 0  # no list of every contact
    page.locator("#contact-q").press_sequentially("하늘", delay=50)
    option = page.locator(f"#contact-options input[name=contact][value='{contact.pk}']")
    option.wait_for()
    assert page.locator("#contact-options input[name=contact]").count() == 1  # 김하은 does not match
    assert "한빛 물류" in page.locator("#contact-options").inner_text()
    page.press("#contact-q", "Enter")  # Enter searches (over htmx) rather than submitting the log form
    option.wait_for()
    assert page.url == f"{live_server.url}/inbox/"  # searching did not leave or submit the page
    page.locator(f"#contact-options label[data-contact='{contact.pk}']").click()
    assert option.is_checked()
    # Searching again (by phone, typed without dashes) keeps her chosen, first in the list.
    page.fill("#contact-q", "")
    page.locator("#contact-q").press_sequentially("0109999", delay=30)
    page.locator("#contact-options label[data-contact]").nth(1).wait_for()
    assert page.locator("#contact-options input[name=contact]").first.get_attribute("value") == str(contact.pk)
    assert option.is_checked()
    with page.expect_response(lambda response: "/inbox/contacts/" in response.url):
        page.click("#contact-picker button[form=contact-search]")  # "Find": the search form's request
    page.locator("#contact-options label[data-contact]").nth(1).wait_for()
    assert option.is_checked()
    # Searching before anyone was chosen sent nothing else along and logged no error.
    assert console_errors == []

    # The call came in on Monday 17 Nov 2025 at 10:00; maintenance clients: 4 business hours.
    page.check("input[name=direction][value=in]")
    page.select_option("select[name=channel]", "phone")
    page.fill("textarea[name=body]", "배송 조회 화면이 열리지 않는다는 전화")
    page.fill("input[name=occurred_at]", "2025-11-17T10:00")
    with page.expect_navigation(url=f"{live_server.url}/inbox/"):  # POST, then redirected back
        page.click("#quick-log-submit")

    rows = page.locator("#inbox-list [data-conversation]")
    assert rows.count() == 2
    first = rows.first
    assert "한빛 물류" in first.inner_text()
    assert first.locator("time.reply-due").inner_text() == "Mon 17 Nov 2025, 14:00"
    assert "Overdue" in first.inner_text()
    conversation = Conversation.objects.get(client=contact.client)
    assert conversation.reply_due_at == dt.datetime(2025, 11, 17, 14, 0, tzinfo=SEOUL)

    first.click()
    page.wait_for_url(f"{live_server.url}/conversations/{conversation.pk}/")
    assert "배송 조회 화면이 열리지 않는다는 전화" in page.locator("#thread").inner_text()
    page.select_option("#reply-form select[name=channel]", "phone")
    page.fill("#reply-form textarea[name=body]", "다시 전화드려 해결했습니다.")
    page.click("#reply-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/conversations/{conversation.pk}/")
    assert "Nobody is waiting on us" in page.locator("#clock").inner_text()
    assert "late" in page.locator("#waits").inner_text()

    page.goto(f"{live_server.url}/inbox/")
    rows = page.locator("#inbox-list [data-conversation]")
    assert rows.count() == 1
    assert "한빛 물류" not in page.locator("#inbox-list").inner_text()
    assert "Blue Harbor Coffee" in rows.first.inner_text()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_customer_is_picked_on_a_page_of_its_own(live_server, page, login):
    ensure_default_policies()
    UserFactory(username="minji")
    contact = ContactFactory(client=ClientFactory(name="한빛 물류"), name="김하늘")

    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    page.fill("#contact-q", "하늘")
    page.click("#contact-picker button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/contacts/?q=*")
    page.check(f"#contact-choice input[name=contact][value='{contact.pk}']")
    page.click("#contact-choice button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/?contact={contact.pk}")

    assert page.locator(f"#contact-options input[name=contact][value='{contact.pk}']").is_checked()
    page.fill("textarea[name=body]", "견적 문의 전화")
    with page.expect_navigation(url=f"{live_server.url}/inbox/"):  # POST, then redirected back
        page.click("#quick-log-submit")
    assert "한빛 물류" in page.locator("#inbox-list").inner_text()
    assert Conversation.objects.get(client=contact.client).contact == contact
