"""The demo manager adds a colleague without a shell or the admin: invites them from the team
page (the email reaches an SMTP server on loopback through a real Celery worker), the colleague
opens the link in their own browser, sets a password and Korean, is logged in, and later logs in
again; the manager reads both on the team's audit list. Then the colleague turns on two-factor
sign-in with a code computed from the key the page showed, and the next login asks for one."""

import re
from base64 import b32decode

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

from tests.conftest import wait_until
from tests.world import MANAGER_PASSWORD, MANAGER_USERNAME

pytestmark = [pytest.mark.browser, pytest.mark.integration]
PASSWORD = "paper-lantern-harbor-77"


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def _code(key_text: str) -> str:
    key = b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    return f"{TOTP(key).token():06d}"


def test_the_manager_invites_a_colleague_who_joins_and_logs_in(
    live_server, page, browser, settings, smtp_server, celery_processes, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    celery_processes("worker", **smtp_server.env(), SITE_URL=live_server.url)
    base = live_server.url

    _log_in(page, base, MANAGER_USERNAME, MANAGER_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.click("nav .dropdown-toggle")
    page.click("nav a.dropdown-item[href='/settings/people/']")
    page.click("#invite-colleague")
    page.fill("input[name=email]", "haneul@agency.example")
    page.fill("input[name=first_name]", "하늘")
    page.fill("input[name=last_name]", "정")
    page.check("input[name=role][value=staff]")
    page.select_option("select[name=language]", "ko")
    page.click("#invite-form button[type=submit]")
    page.wait_for_url(f"{base}/settings/people/")
    assert "haneul@agency.example" in page.locator("#team-invitations").inner_text()

    def invitations():
        return [m for envelope, m in smtp_server.messages if envelope.rcpt_tos == ["haneul@agency.example"]]

    wait_until(invitations, timeout=30, message="the invitation reaching the SMTP server")
    [message] = invitations()
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(base) + r"/join/\S+/", text).group(0)

    colleague = browser.new_context(locale="en-US").new_page()
    colleague.goto(link)
    assert colleague.locator("html").get_attribute("lang") == "ko"  # the invitation's language
    assert colleague.input_value("input[name=username]") == "haneul"
    colleague.fill("input[name=password1]", "12345678")
    colleague.fill("input[name=password2]", "12345678")
    colleague.click("#accept-form button[type=submit]")
    assert colleague.locator("#id_password1").evaluate("e => e.classList.contains('is-invalid')")
    colleague.fill("input[name=password1]", PASSWORD)
    colleague.fill("input[name=password2]", PASSWORD)
    colleague.click("#accept-form button[type=submit]")
    colleague.wait_for_url(f"{base}/")
    assert "환영합니다" in colleague.content()
    colleague.goto(f"{base}/inbox/")
    assert colleague.url == f"{base}/inbox/"

    # Later, on another device: the username and password work; the link does not any more.
    later = browser.new_context().new_page()
    later.goto(link)
    assert "invitation-invalid" in later.content()
    _log_in(later, base, "haneul", PASSWORD)
    later.wait_for_url(f"{base}/")

    # Two-factor sign-in, set up from the key shown on the page.
    later.goto(f"{base}/settings/two-factor/")
    later.click("#twofactor-start")
    later.wait_for_url(f"{base}/settings/two-factor/setup/")
    assert later.locator(".twofactor-qr svg").count() == 1
    key = later.inner_text("#twofactor-key")
    later.fill("input[name=code]", _code(key))
    later.click("#twofactor-confirm button[type=submit]")
    assert later.locator("#recovery-codes li").count() == 10
    recovery = later.locator("#recovery-codes li").first.inner_text()

    fresh = browser.new_context().new_page()
    _log_in(fresh, base, "haneul", PASSWORD)
    fresh.wait_for_url(f"{base}/accounts/login/code/")
    fresh.fill("input[name=code]", recovery)
    fresh.click("#login-code-form button[type=submit]")
    fresh.wait_for_url(f"{base}/")

    page.goto(f"{base}/settings/people/audit/")
    audit = page.locator("#team-audit").inner_text()
    assert "invited haneul@agency.example as Staff" in audit
    assert "accepted the invitation and joined as Staff" in audit
    assert "turned on two-factor sign-in" in audit
