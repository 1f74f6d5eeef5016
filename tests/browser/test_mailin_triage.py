"""A staff member on a phone opens an email from an unknown sender: its hostile HTML shows no
active content, and they create a client from it (Chromium through Playwright, live server)."""

import pytest

from clients.models import Client
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource, UnknownSender
from followups.models import Conversation, ensure_default_policies
from tests.factories import PASSWORD, ManagerFactory, UserFactory
from tests.followups.mailin_support import build_email

pytestmark = pytest.mark.browser

HOSTILE_HTML = (
    "<p id='greeting'>Hello from Sunrise Bakery</p>"
    "<script>alert('script ran')</script>"
    "<img src='x' onerror=\"alert('onerror ran')\">"
    "<img src='https://tracker.example/pixel.gif'>"
    "<a href=\"javascript:alert('link ran')\">click</a>"
)


def test_hostile_email_from_unknown_sender_is_harmless_and_becomes_a_client(
    live_server, page, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    ManagerFactory(username="boss")
    UserFactory(username="minji", first_name="Minji", last_name="Park")
    email = mail_ingest(
        raw=build_email(
            from_="Grace Han <grace@sunrise-bakery.example>",
            subject="<script>alert('subject ran')</script> Loyalty app",
            body=None,
            html=HOSTILE_HTML,
        ).as_bytes(),
        source=MailSource.IMAP,
    ).email
    conversation = email.conversation
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    remote_requests = []
    page.on("request", lambda request: remote_requests.append(request.url) if "tracker" in request.url else None)

    page.set_viewport_size({"width": 390, "height": 844})
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}{conversation.get_absolute_url()}")
    assert "Unknown sender" in page.locator("#unknown-sender").inner_text()
    assert "<script>alert('subject ran')</script> Loyalty app" in page.locator("h1").inner_text()

    page.click("#conversation-emails a")
    page.wait_for_url(f"{live_server.url}/mail/{email.pk}/")
    page.click("details summary")
    frame = page.frame_locator("#mail-html")
    assert frame.locator("p").first.inner_text() == "Hello from Sunrise Bakery"
    frame.locator("a").click()
    page.wait_for_timeout(500)
    assert dialogs == []
    assert remote_requests == []

    page.go_back()
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    page.fill("#attach-new input[name=client_name]", "Sunrise Bakery")
    page.select_option("#attach-new select[name=account_owner]", label="minji")
    page.click("#attach-new button[type=submit]")
    page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
    assert page.locator("#unknown-sender").count() == 0

    client = Client.objects.get(name="Sunrise Bakery")
    assert Conversation.objects.get(pk=conversation.pk).client == client
    assert client.contacts.get().email == "grace@sunrise-bakery.example"
    assert not UnknownSender.objects.get(conversation=conversation).is_open
    assert dialogs == []
