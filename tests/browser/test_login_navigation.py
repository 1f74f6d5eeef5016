"""The demo manager logs in through Chromium and sees the whole navigation."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


def test_demo_manager_logs_in_and_sees_the_navigation(live_server, page, login):
    call_command("seed_demo")
    login("manager", "gonggam-manager")
    nav = page.locator("#mainnav")
    for name in ["Inbox", "Clients", "Inquiries", "Check-ins", "Dashboard", "Admin"]:
        assert nav.get_by_role("link", name=name, exact=True).is_visible()
    page.click("[data-nav=clients]")
    page.wait_for_url(f"{live_server.url}/clients/")
    assert page.get_by_role("link", name="한빛 물류").is_visible()


def test_staff_member_has_no_dashboard_link(live_server, page, login):
    call_command("seed_demo")
    login("minji", "gonggam-staff")
    assert page.locator("[data-nav=inbox]").is_visible()
    assert page.locator("[data-nav=dashboard]").count() == 0


def test_a_phone_sized_screen_gets_the_collapsed_menu(live_server, page, login):
    call_command("seed_demo")
    page.set_viewport_size({"width": 390, "height": 844})
    login("minji", "gonggam-staff")
    assert not page.locator("[data-nav=inbox]").is_visible()
    page.click("button.navbar-toggler")
    page.locator("[data-nav=inbox]").wait_for(state="visible")


def test_wrong_password_shows_an_error_in_the_browser(live_server, page):
    call_command("seed_demo")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert page.get_by_text("Please enter a correct username and password").is_visible()
