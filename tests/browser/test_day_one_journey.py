"""Issue 29's "Done when": day one of an agency, in the app only (Chromium, live server), as the
demo manager and never through /admin/. The checklist on the home page shows what to do; the
manager invites a colleague (the email reaches a loopback SMTP server through a real Celery
worker, the link sets a password, the colleague logs in in their own browser), sets a 12:00-13:00
lunch break, a closure and a 30-minute target on /settings/agency/, connects a loopback Dovecot
on /settings/mailbox/ with *Test the connection* passing, and the checklist ticks. Then a customer
message at 11:50 on a business day is due at 13:20, and no page logged a console error."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from clients.models import ResponseTier
from tests.conftest import wait_until
from tests.followups.conversations.test_replan import waiting
from tests.followups.mailin_support import Dovecot, build_email
from tests.world import MANAGER_PASSWORD, MANAGER_USERNAME

pytestmark = [pytest.mark.browser, pytest.mark.integration]
SEOUL = ZoneInfo("Asia/Seoul")
COLLEAGUE = "haneul@agency.example"
PASSWORD = "paper-lantern-harbor-77"
TICKED = ("team", "hours", "targets", "mailbox")


@pytest.fixture
def dovecot(settings):
    settings.IMAP_HOST = ""
    server = Dovecot().start()
    yield server
    server.stop()


def _watch_console(page, errors: list[str]) -> None:
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _checklist(page) -> dict[str, str]:
    items = page.locator("#setup-checklist [data-checklist-item]")
    return {
        items.nth(i).get_attribute("data-checklist-item"): items.nth(i).get_attribute("data-state")
        for i in range(items.count())
    }


def test_day_one_a_manager_sets_up_the_agency_in_the_app(
    live_server, page, browser, settings, smtp_server, celery_processes, dovecot, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = base = live_server.url
    settings.CONTACT_FORM_ALLOWED_ORIGINS = []
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    celery_processes("worker", **smtp_server.env(), SITE_URL=base, IMAP_HOST="")
    dovecot.append(build_email(subject="First customer question"))
    errors: list[str] = []
    visited: list[str] = []
    _watch_console(page, errors)
    page.on("framenavigated", lambda frame: visited.append(frame.url) if frame == page.main_frame else None)

    _log_in(page, base, MANAGER_USERNAME, MANAGER_PASSWORD)
    assert {key: _checklist(page)[key] for key in TICKED} == dict.fromkeys(TICKED, "todo")

    # The team: invite a colleague; the link from the email sets a password; they log in.
    page.click('#setup-checklist [data-checklist-item="team"] a')
    page.wait_for_url(f"{base}/settings/people/")
    page.click("#invite-colleague")
    page.fill("input[name=email]", COLLEAGUE)
    page.fill("input[name=first_name]", "하늘")
    page.fill("input[name=last_name]", "정")
    page.check("input[name=role][value=staff]")
    page.select_option("select[name=language]", "ko")
    page.click("#invite-form button[type=submit]")
    page.wait_for_url(f"{base}/settings/people/")
    assert COLLEAGUE in page.locator("#team-invitations").inner_text()

    def invitations():
        return [m for envelope, m in smtp_server.messages if envelope.rcpt_tos == [COLLEAGUE]]

    wait_until(invitations, timeout=30, message="the invitation reaching the SMTP server")
    [message] = invitations()
    link = re.search(re.escape(base) + r"/join/\S+/", message.get_body(preferencelist=("plain",)).get_content())
    colleague_context = browser.new_context(locale="en-US")
    colleague = colleague_context.new_page()
    _watch_console(colleague, errors)
    colleague.goto(link.group(0))
    colleague.fill("input[name=password1]", PASSWORD)
    colleague.fill("input[name=password2]", PASSWORD)
    colleague.click("#accept-form button[type=submit]")
    colleague.wait_for_url(f"{base}/")
    colleague.context.clear_cookies()
    _log_in(colleague, base, "haneul", PASSWORD)
    assert get_user_model().objects.get(username="haneul").email == COLLEAGUE
    colleague_context.close()

    # Opening hours with a 12:00-13:00 lunch break on weekdays, a closure day, a 30-minute target.
    page.goto(f"{base}/")
    page.click('#setup-checklist [data-checklist-item="hours"] a')
    page.wait_for_url(f"{base}/settings/agency/")
    for day in range(5):
        page.fill(f"#id_hours-d{day}_1_opens", "09:00")
        page.fill(f"#id_hours-d{day}_1_closes", "12:00")
        page.fill(f"#id_hours-d{day}_2_opens", "13:00")
        page.fill(f"#id_hours-d{day}_2_closes", "18:00")
    page.click("#hours button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#hours .is-invalid").count() == 0
    page.fill("#id_closure-date", "2030-12-31")
    page.fill("#id_closure-reason", "Year end")
    page.click("#closure button.btn-primary[type=submit]")
    page.wait_for_selector("#closure-days >> text=Year end")
    page.select_option("#id_target-tier", ResponseTier.STANDARD.value)
    page.fill("#id_target-first_response_minutes_0", "0")
    page.fill("#id_target-first_response_minutes_1", "30")
    page.fill("#id_target-next_reply_minutes_0", "0")
    page.fill("#id_target-next_reply_minutes_1", "30")
    page.click("#target button.btn-primary[type=submit]")  # not a listed target's Remove
    page.wait_for_selector("#response-targets >> text=0 h 30 min")

    # The support mailbox: a loopback Dovecot, and *Test the connection* passes.
    page.goto(f"{base}/")
    page.click('#setup-checklist [data-checklist-item="mailbox"] a')
    page.wait_for_url(f"{base}/settings/mailbox/")
    page.fill("input[name=host]", "127.0.0.1")
    page.fill("input[name=port]", str(dovecot.port))
    page.select_option("select[name=security]", "none")
    page.fill("input[name=username]", dovecot.user)
    page.fill("input[name=password]", dovecot.password)
    page.fill("input[name=poll_seconds]", "60")
    page.click("#mailbox-form button[type=submit]")
    page.wait_for_url(f"{base}/settings/mailbox/")
    page.click("#mailbox-test")
    result = page.locator("#mailbox-test-result")
    assert "1 message in INBOX" in result.inner_text()
    assert "alert-success" in result.get_attribute("class")

    page.goto(f"{base}/")
    assert {key: _checklist(page)[key] for key in TICKED} == dict.fromkeys(TICKED, "done")

    # Monday 7 December 2026, 11:50 in Seoul: 10 minutes before lunch, 20 after it.
    owner = get_user_model().objects.get(username="minji")
    conversation = waiting(owner, dt.datetime(2026, 12, 7, 11, 50, tzinfo=SEOUL))
    assert conversation.reply_due_at == dt.datetime(2026, 12, 7, 13, 20, tzinfo=SEOUL)
    with time_machine.travel(dt.datetime(2026, 12, 7, 11, 55, tzinfo=SEOUL), tick=True):
        page.goto(f"{base}{conversation.get_absolute_url()}")
        assert "13:20" in page.content() or "1:20" in page.content()

    assert not [url for url in visited if "/admin/" in url]
    assert errors == []
