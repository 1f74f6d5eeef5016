"""The email preview answers inside the page: a draft with a bad Cc gets its error in the preview
box, the typed reply stays, and nothing leaves the form; a good draft previews with placeholders
where the customer's own links will be, in the reader's language."""

import pytest

from agency_crm.preferences.models import Preferences
from followups.conversations.services import conversation_start, message_receive
from tests.conftest import wait_until
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_preview_keeps_the_draft_and_shows_errors_in_place(live_server, page, login, language):
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    Preferences.objects.update_or_create(user=minji, defaults={"language": language})
    client = ClientFactory(name="하늘 물류", account_owner=minji)
    contact = ContactFactory(client=client, name="김하늘", email="sky@logistics.example", preferred_language="ko")
    conversation = conversation_start(client=client, contact=contact, subject="배송", channel="email", actor=None)
    message_receive(conversation=conversation, body="배송 조회가 안 됩니다.", channel="email")

    login("minji", PASSWORD)
    url = f"{live_server.url}/conversations/{conversation.pk}/"
    page.goto(url)
    page.evaluate("window.__notReloaded = true")
    page.fill("#reply-form textarea[name=body]", "오늘 보내드립니다.")
    page.fill("#reply-form input[name=cc]", "not-an-email")
    page.click("#reply-form [data-email-only][hx-post]")
    errors = page.locator("[data-testid=reply-preview-errors]")
    errors.wait_for()
    assert page.url == url and page.evaluate("window.__notReloaded") is True
    assert page.input_value("#reply-form textarea[name=body]") == "오늘 보내드립니다."
    expected = {"ko": "참조(Cc)는 쉼표로 구분한 이메일 주소로", "en": "Write Cc as email addresses"}
    assert expected[language] in errors.inner_text()
    # Corrected, it previews with placeholders instead of the customer's links.
    page.fill("#reply-form input[name=cc]", "")
    page.click("#reply-form [data-email-only][hx-post]")
    preview = page.locator("[data-testid=reply-preview] pre")
    wait_until(lambda: preview.count() and "오늘 보내드립니다." in preview.inner_text(), message="the preview")
    text = preview.inner_text()
    assert "[내 요청 페이지 링크]" in text and "[피드백 링크]" in text  # the email is in the contact's Korean
    assert "/my/" not in text and "/feedback/" not in text
