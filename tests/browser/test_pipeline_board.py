"""The pipeline board in Chromium: a card dragged to Won on a desktop, and another moved to Won
with the keyboard through its Move menu on a phone-sized screen in Korean."""

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry
from tests.factories import PASSWORD, ClientFactory, UserFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _card(page, inquiry):
    return page.locator(f"[data-card='{inquiry.pk}']")


def test_a_card_goes_to_won_by_drag_and_drop_and_by_the_keyboard_menu_on_a_phone(live_server, page, login):
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    client = ClientFactory(name="서울 치과의원", account_owner=minji)
    dragged = InquiryFactory(owner=minji, client=client, title="Booking app", contact=None)
    ScopeItemFactory(inquiry=dragged, optimistic_hours=10, likely_hours=20, pessimistic_hours=30)
    keyed = InquiryFactory(owner=minji, client=client, title="예약 앱", status="scoped", contact=None)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # Desktop, English: drag the new inquiry's card onto the Won column.
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inquiries/board/")
    card = _card(page, dragged)
    expect(card).to_contain_text("₩1,600,000 – ₩3,200,000")
    expect(page.locator("[data-testid=column-new] [data-testid=card]")).to_have_count(1)
    card.drag_to(page.locator("[data-testid=column-won]"))
    expect(page.get_by_role("alert")).to_contain_text("“Booking app” moved to Won.")
    expect(page.locator(f"[data-testid=column-won] [data-card='{dragged.pk}']")).to_be_visible()
    assert Inquiry.objects.get(pk=dragged.pk).status == "won"

    # Phone, Korean: open the other card's Move menu and choose Won, with the keyboard alone.
    page.set_viewport_size(PHONE)
    with page.expect_navigation():
        page.select_option("#language-select", "ko")  # the footer's switch, saved as her setting
    expect(page.locator("h1")).to_have_text("영업 보드")
    card = _card(page, keyed)
    summary = card.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    status = card.locator("select[name=status]")
    expect(status).to_be_visible()
    page.keyboard.press("Tab")
    expect(status).to_be_focused()
    # Scoped → Proposal sent → Won in the agency's order.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(status).to_have_value("won")
    expect(card.locator("[data-lost-fields]")).to_be_hidden()  # only Lost asks for a reason
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="이동")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("“예약 앱”을(를) 수주 단계로 옮겼습니다.")
    expect(page.locator(f"[data-testid=column-won] [data-card='{keyed.pk}']")).to_be_visible()
    assert Inquiry.objects.get(pk=keyed.pk).status == "won"
    # The columns stack on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
