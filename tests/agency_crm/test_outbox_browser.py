"""In Chromium on a phone-sized screen: a staff member finds a failed email through the user menu,
previews its HTML in a sandbox where no script runs, and sends it again."""

import re

import pytest
from playwright.sync_api import expect

from agency_crm.outbox import OutboundEmail
from tests.agency_crm.factories import OutboundEmailFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

HOSTILE_HTML = (
    "<p>Hello from the agency</p>"
    "<script>document.body.insertAdjacentHTML('beforeend', '<p id=ran>script ran</p>');"
    "parent.document.title = 'pwned';</script>"
    "<img src=x onerror=\"document.body.insertAdjacentHTML('beforeend', '<p id=ran>handler ran</p>')\">"
)


def test_preview_a_failed_email_safely_and_retry_it(live_server, page, login):
    UserFactory(username="minji", first_name="Minji", last_name="Park")
    OutboundEmailFactory(subject="Weekly summary", status=OutboundEmail.Status.SENT, sent_at="2026-01-01T00:00Z")
    email = OutboundEmailFactory(
        subject="Re: 견적 문의",
        html_body=HOSTILE_HTML,
        status=OutboundEmail.Status.FAILED,
        attempts=6,
        last_error="SMTP 550: b'5.1.1 Mailbox unavailable'",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login("minji", PASSWORD)

    page.get_by_role("button", name="Toggle navigation").click()
    # Bootstrap's collapse animates ("collapsing") before it is shown: a click on the user menu
    # meanwhile may not open it (seen on a loaded machine).
    page.locator("#mainnav.collapse.show").wait_for()
    page.get_by_role("button", name="Minji Park").click()
    page.get_by_role("link", name="Outbox").click()
    page.wait_for_url(re.compile(r"/outbox/$"))
    page.locator("a[data-status=failed]").click()
    expect(page.get_by_text("Weekly summary")).to_have_count(0)
    page.get_by_role("link", name="Re: 견적 문의").click()
    page.wait_for_url(re.compile(rf"/outbox/{email.pk}/$"))
    expect(page.get_by_text("5.1.1 Mailbox unavailable")).to_be_visible()

    preview = page.frame_locator("iframe[title='HTML preview']")
    expect(preview.get_by_text("Hello from the agency")).to_be_visible()
    page.wait_for_timeout(300)  # give any script or handler the chance to run
    expect(preview.locator("#ran")).to_have_count(0)
    assert page.title() != "pwned"

    page.get_by_role("button", name="Retry sending").click()
    expect(page.locator("#email-status")).to_have_text("Pending")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
