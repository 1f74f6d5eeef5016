"""A new agency's manager connects the support mailbox in the app (a real Dovecot on loopback):
*Test the connection* passes, and the first-run checklist on the home page ticks the mailbox
(Chromium through Playwright, live server; never the admin)."""

import pytest

from followups.mailin.models import MailboxConnection
from tests.factories import PASSWORD, ManagerFactory
from tests.followups.mailin_support import Dovecot, build_email

pytestmark = pytest.mark.browser


@pytest.fixture
def server(settings):
    settings.IMAP_HOST = ""
    dovecot = Dovecot().start()
    yield dovecot
    dovecot.stop()


def _checklist_state(page, key: str) -> str:
    return page.locator(f'#setup-checklist [data-checklist-item="{key}"]').get_attribute("data-state")


def test_the_manager_connects_the_mailbox_and_the_checklist_ticks(live_server, page, login, server):
    ManagerFactory(username="boss")
    server.append(build_email(subject="First customer question"))

    login("boss", PASSWORD)
    assert _checklist_state(page, "mailbox") == "todo"
    page.click('#setup-checklist [data-checklist-item="mailbox"] a')
    page.wait_for_url(f"{live_server.url}/settings/mailbox/")
    assert "No mailbox is connected" in page.locator("#mailbox-status").inner_text()

    page.fill("input[name=host]", "127.0.0.1")
    page.fill("input[name=port]", str(server.port))
    page.select_option("select[name=security]", "none")
    page.fill("input[name=username]", server.user)
    page.fill("input[name=password]", server.password)
    page.fill("input[name=poll_seconds]", "30")
    page.click("#mailbox-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/settings/mailbox/")
    assert "1 message in INBOX" in page.locator(".alert-success").first.inner_text()
    assert page.input_value("input[name=password]") == ""
    assert server.password not in page.content()

    page.click("#mailbox-test")
    result = page.locator("#mailbox-test-result")
    assert "Logged in to crm at 127.0.0.1: 1 message in INBOX." in result.inner_text()
    assert "alert-success" in result.get_attribute("class")
    assert MailboxConnection.objects.get().last_test_ok is True
    assert server.password not in page.content()

    page.goto(f"{live_server.url}/")
    assert _checklist_state(page, "mailbox") == "done"
