"""A task on a phone: the owner adds one from an inquiry's page, sees it counted in the
navigation and completes it on /tasks/."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followups.models import Task
from tests.factories import PASSWORD, ClientFactory, UserFactory
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_task_added_on_an_inquiry_is_done_on_my_tasks_on_a_phone(live_server, page, login):
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    inquiry = InquiryFactory(owner=minji, title="Booking app", client=ClientFactory(name="Hanbit", account_owner=minji))
    page.set_viewport_size(PHONE)
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}{inquiry.get_absolute_url()}")
    form = page.get_by_test_id("task-form")
    form.get_by_label("Task").fill("Call about the budget")
    form.get_by_label("Due on").fill(timezone.localdate().isoformat())
    form.get_by_label("Time (optional)").fill("23:59")
    form.get_by_role("button", name="Add task").click()
    page.wait_for_url(f"**{inquiry.get_absolute_url()}")
    assert "Call about the budget" in page.get_by_test_id("task-panel").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/tasks/")
    expect(page.locator("#task-count")).to_have_text("1")  # in the folded navigation
    today = page.locator("#tasks-today")
    assert "Booking app (Hanbit)" in today.inner_text()
    today.get_by_role("button", name="Done").click()
    page.locator("#tasks-done", has_text="Call about the budget").wait_for()
    expect(page.locator("#task-count")).to_have_text("0")
    assert Task.objects.get().done_by == minji
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
