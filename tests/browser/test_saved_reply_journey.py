"""A saved reply used on the conversation page (issue 19): choosing it fills the reply box without
a page reload (htmx), the sender edits it, sends by email, and the email reaches the SMTP server
on loopback with the filled text, delivered by a real Celery worker."""

import pytest

from followups.answers.services import saved_reply_create
from followups.conversations.services import conversation_start, message_receive
from tests.conftest import wait_until
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_a_saved_reply_fills_the_box_is_edited_and_arrives_filled(
    live_server, page, login, settings, smtp_server, celery_processes
):
    settings.SITE_URL = live_server.url
    celery_processes("worker", **smtp_server.env(), SITE_URL=live_server.url)
    minji = UserFactory(username="minji", first_name="민지", last_name="박", email="minji@agency.example")
    client = ClientFactory(name="{{ 7*7 }} 물류", account_owner=minji)
    contact = ContactFactory(client=client, name="김하늘", email="sky@logistics.example", preferred_language="ko")
    conversation = conversation_start(client=client, contact=contact, subject="배송", channel="email", actor=None)
    message_receive(conversation=conversation, body="배송 조회가 안 됩니다.", channel="email")
    saved_reply_create(
        actor=minji,
        values={"title": "확인 중 안내", "body_ko": "{contact_name}님, {client_name} 건 확인 중입니다. - {my_name}"},
    )

    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    page.evaluate("window.__notReloaded = true")
    page.select_option("[data-testid=saved-reply-picker]", label="확인 중 안내")
    box = page.locator("#reply-form textarea[name=body]")
    wait_until(lambda: "확인 중입니다" in box.input_value(), message="the filled reply box")
    assert page.evaluate("window.__notReloaded") is True  # filled in place, no reload
    assert box.input_value() == "김하늘님, {{ 7*7 }} 물류 건 확인 중입니다. - 박민지"
    box.fill(box.input_value() + "\n오늘 안에 다시 연락드리겠습니다.")
    page.select_option("#reply-form select[name=channel]", "email")
    page.click("#reply-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/conversations/{conversation.pk}/")

    def arrived():
        return [m for envelope, m in smtp_server.messages if "sky@logistics.example" in envelope.rcpt_tos]

    (email,) = wait_until(arrived, message="the reply at the SMTP server")
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert "김하늘님, {{ 7*7 }} 물류 건 확인 중입니다. - 박민지" in text
    assert "오늘 안에 다시 연락드리겠습니다." in text


def test_the_composer_sends_a_saved_reply_with_a_file_that_arrives_at_smtp(
    live_server, page, browser, login, settings, smtp_server, celery_processes, owner
):
    """The whole composer: who else is there, a saved reply from the suggested answers, a file,
    the preview, and the email with the filled text and the file at the SMTP server."""
    settings.SITE_URL = live_server.url
    celery_processes("worker", **smtp_server.env(), SITE_URL=live_server.url)
    minji = UserFactory(username="minji", first_name="민지", last_name="박", email="minji@agency.example")
    client = ClientFactory(name="하늘 물류", account_owner=minji)
    contact = ContactFactory(client=client, name="김하늘", email="sky@logistics.example", preferred_language="ko")
    ContactFactory(client=client, name="이바다", email="sea@logistics.example", preferred_language="ko")
    conversation = conversation_start(client=client, contact=contact, subject="배송 일정", channel="email", actor=None)
    message_receive(conversation=conversation, body="배송이 언제 되나요?", channel="email")
    saved_reply_create(
        actor=minji,
        values={"title": "배송 일정 안내", "body_ko": "{contact_name}님, 견적서와 배송 일정을 보내드립니다."},
    )

    # A colleague already has the conversation open.
    other = browser.new_context()
    colleague = other.new_page()
    colleague.goto(f"{live_server.url}/accounts/login/")
    colleague.fill("input[name=username]", owner.username)
    colleague.fill("input[name=password]", PASSWORD)
    colleague.click("button[type=submit]")
    colleague.wait_for_url(f"{live_server.url}/")
    with colleague.expect_response(lambda response: "/presence/" in response.url):
        colleague.goto(f"{live_server.url}/conversations/{conversation.pk}/")

    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    page.wait_for_selector("[data-testid=presence] [data-presence=viewing]")
    # The suggested answers panel offers the saved reply; using it fills the box in place.
    page.click("[data-testid=suggestions] button:has-text('사용'), [data-testid=suggestions] button:has-text('Use')")
    box = page.locator("#reply-form textarea[name=body]")
    wait_until(lambda: "견적서와 배송 일정" in box.input_value(), message="the filled reply box")
    assert box.input_value() == "김하늘님, 견적서와 배송 일정을 보내드립니다."
    # When is for logging only: hidden for email.
    assert page.locator("#reply-form #div_id_occurred_at").is_hidden()
    sea = client.contacts.get(name="이바다")
    page.check(f"#reply-form input[name=to][value='{sea.pk}']")
    page.fill("#reply-form input[name=cc]", "pm@agency.example")
    page.set_input_files(
        "#reply-form input[name=attachments]",
        files=[{"name": "견적서.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 quote for sky"}],
    )
    page.click("#reply-form button[data-email-only]")
    preview = page.locator("[data-testid=reply-preview]")
    preview.wait_for()
    assert "sky@logistics.example, sea@logistics.example" in preview.inner_text()
    assert "견적서.pdf" in preview.inner_text() and "김하늘님, 견적서와 배송 일정을" in preview.inner_text()
    page.click("#reply-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/conversations/{conversation.pk}/")

    def arrived():
        return [m for envelope, m in smtp_server.messages if "sky@logistics.example" in envelope.rcpt_tos]

    (email,) = wait_until(arrived, message="the reply at the SMTP server")
    envelope = next(e for e, m in smtp_server.messages if m is email)
    assert set(envelope.rcpt_tos) == {"sky@logistics.example", "sea@logistics.example", "pm@agency.example"}
    assert "김하늘님, 견적서와 배송 일정을 보내드립니다." in email.get_body(preferencelist=("plain",)).get_content()
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_filename() == "견적서.pdf"
    assert attachment.get_content() == b"%PDF-1.4 quote for sky"
    other.close()
