"""A staff member creates a client with a contact, adds a note, and finds it again via search."""

import re

import pytest
from playwright.sync_api import expect

from clients.models import Client, Note
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def test_create_a_client_add_a_note_and_find_it(live_server, page, login):
    UserFactory(username="minji", first_name="Minji", last_name="Park")
    UserFactory(username="junho", first_name="Junho", last_name="Lee")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone
    login("minji", PASSWORD)

    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="New client").click()
    page.fill("input[name=name]", "한빛 물류")
    page.select_option("select[name=status]", "maintenance")
    page.select_option("select[name=backup_owner]", label="Junho Lee")
    page.fill("input[name=tags_text]", "물류, 유지보수")
    page.fill("input[name=contact-name]", "김하늘")
    page.fill("input[name=contact-email]", "haneul@hanbit.example")
    page.fill("input[name=contact-phone]", "010-2345-6789")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/clients/\d+/$"))
    expect(page.get_by_role("heading", name="한빛 물류")).to_be_visible()
    expect(page.get_by_text("haneul@hanbit.example")).to_be_visible()

    page.fill("#quick-note textarea[name=body]", "유지보수 계약 갱신 문의")
    page.locator("#quick-note").get_by_role("button", name="Add note").click()
    expect(page.locator("#timeline").get_by_text("유지보수 계약 갱신 문의")).to_be_visible()

    client = Client.objects.get(name="한빛 물류")
    assert Note.objects.get(client=client).body == "유지보수 계약 갱신 문의"

    # The search box in the navigation (collapsed on a phone).
    page.click("button.navbar-toggler")
    box = page.locator("#mainnav input[name=q]")
    box.fill("계약 갱신")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    notes = page.locator('section[data-kind="notes"]')
    expect(notes.locator("mark").first).to_have_text("계약")
    notes.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/clients/{client.pk}/#note-\d+$"))
    expect(page.get_by_role("heading", name="한빛 물류")).to_be_visible()
