"""A manager sets the agency up in the app (Chromium, live server): a lunch break on weekdays, a
closure day and a 30-minute target, through /settings/agency/ only; a bad interval is marked on
that interval. Then a customer message at 11:50 is due at 13:20 by the business clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clients.models import ResponseTier
from followups.conversations.hours import load_calendar
from followups.models import ClosureDay, ResponsePolicy
from tests.factories import PASSWORD, ManagerFactory
from tests.followups.conversations.test_replan import waiting

pytestmark = [pytest.mark.browser]
SEOUL = ZoneInfo("Asia/Seoul")


def test_a_manager_sets_a_lunch_break_a_closure_and_a_target_on_the_page(live_server, page, login, owner):
    manager = ManagerFactory(username="minji.manager")
    login(manager.username, PASSWORD)
    page.goto(f"{live_server.url}/settings/agency/")

    # Monday to Friday: 09:00-12:00 and 13:00-18:00. Wednesday's second interval first wrong.
    for day in range(5):
        page.fill(f"#id_hours-d{day}_1_closes", "12:00")
        page.fill(f"#id_hours-d{day}_2_opens", "13:00")
        page.fill(f"#id_hours-d{day}_2_closes", "18:00")
    page.fill("#id_hours-d2_2_opens", "11:00")
    page.click("#hours button[type=submit]")
    wrong = page.locator("#id_hours-d2_2_opens")
    assert "is-invalid" in wrong.get_attribute("class")
    assert (
        page.locator("#id_hours-d2_2_opens_error").inner_text() == "This interval overlaps another one of the same day."
    )
    assert page.locator("#hours .is-invalid").count() == 1  # only that interval is marked
    page.fill("#id_hours-d2_2_opens", "13:00")
    page.click("#hours button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert load_calendar().weekly_hours[2] == ((540, 720), (780, 1080))

    page.fill("#id_closure-date", "2030-12-31")
    page.fill("#id_closure-reason", "Year end")
    page.click("#closure button[type=submit]")
    page.wait_for_selector("#closure-days >> text=Year end")
    assert ClosureDay.objects.filter(date=dt.date(2030, 12, 31)).exists()

    page.select_option("#id_target-tier", ResponseTier.STANDARD.value)
    page.fill("#id_target-first_response_minutes_0", "0")
    page.fill("#id_target-first_response_minutes_1", "30")
    page.fill("#id_target-next_reply_minutes_0", "2")
    page.fill("#id_target-next_reply_minutes_1", "0")
    # The button by its name: the table above has a Remove button per tier's target (a new
    # agency has the default ones), and the first submit button of the section is one of them.
    page.locator("#target").get_by_role("button", name="Save the target").click()
    page.wait_for_selector("#response-targets >> text=0 h 30 min")
    assert ResponsePolicy.objects.get(tier=ResponseTier.STANDARD, channel="").first_response_minutes == 30

    # Monday 7 December 2026, 11:50: 10 minutes before lunch, 20 after it.
    conversation = waiting(owner, dt.datetime(2026, 12, 7, 11, 50, tzinfo=SEOUL))
    assert conversation.reply_due_at == dt.datetime(2026, 12, 7, 13, 20, tzinfo=SEOUL)
    with time_machine.travel(dt.datetime(2026, 12, 7, 11, 55, tzinfo=SEOUL), tick=True):
        page.goto(f"{live_server.url}{conversation.get_absolute_url()}")
        assert "13:20" in page.content() or "1:20" in page.content()
