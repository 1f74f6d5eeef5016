"""On a phone (390 x 844): the scope table's Edit and Remove are on screen, the inbox shows the
waiting list before the log form, and Korean text breaks between words, not inside them
(issue 14, point 12). Screenshots are written to the test's temporary folder for a look."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from followups.conversations.services import message_receive
from followups.models import Channel, ensure_default_policies
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory
from tests.followups.factories import ConversationFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def within_viewport(box) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_scope_tables_edit_and_remove_are_reachable_on_a_phone(live_server, page, login, tmp_path):
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    inquiry = InquiryFactory(owner=minji, title="예약 시스템 제안서", client=ClientFactory(name="한빛 물류"))
    ScopeItemFactory(
        inquiry=inquiry,
        title="카카오톡 알림톡 연동 및 예약 변경 시간 안내 메시지 자동 발송",
        description="고객이 예약 시간을 바꾸면 알림톡으로 안내합니다.",
        optimistic_hours=Decimal("12.5"),
        likely_hours=Decimal("20.5"),
        pessimistic_hours=Decimal("40.5"),
    )
    page.set_viewport_size(PHONE)
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inquiries/{inquiry.pk}/#scope")
    page.screenshot(path=tmp_path / "scope-phone.png", full_page=True)
    table = page.locator("[data-testid=scope-table]")
    for name in ("Edit", "Remove"):
        control = table.get_by_role("link" if name == "Edit" else "button", name=name).first
        # Where it is without anybody scrolling sideways (a table-responsive wrapper would let it
        # be scrolled into view, but on a phone nobody guesses the table scrolls).
        left, right = control.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
        assert 0 <= left and right <= PHONE["width"], (name, left, right)
        assert within_viewport(control.bounding_box()), name
    # Nothing on the page is wider than the phone (no sideways scrolling).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_phone_inbox_shows_the_waiting_list_before_the_log_form(live_server, page, login, tmp_path):
    ensure_default_policies()
    UserFactory(username="minji", first_name="Minji", last_name="Park")
    conversation = ConversationFactory(client=ClientFactory(name="Blue Harbor Coffee"), subject="Menu update")
    message_receive(conversation=conversation, body="When is the menu live?", channel=Channel.EMAIL)
    page.set_viewport_size(PHONE)
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    page.screenshot(path=tmp_path / "inbox-phone.png", full_page=True)
    waiting = page.locator("#inbox-list").bounding_box()
    log_form = page.locator("#quick-log").bounding_box()
    assert waiting["y"] < log_form["y"]
    assert waiting["y"] < PHONE["height"], "the waiting list starts on the first screen"
    # The log form is one tap away.
    page.locator("#jump-to-log").click()
    expect(page).to_have_url(re.compile(r"#log$"))


def test_korean_text_breaks_between_words_on_a_phone(live_server, page, login, tmp_path):
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    ContactFactory(client=ClientFactory(name="한빛 물류 유지보수 계약 고객사", account_owner=minji))
    page.set_viewport_size(PHONE)
    login("minji", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "ko", "url": live_server.url}])
    page.goto(f"{live_server.url}/clients/")
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.screenshot(path=tmp_path / "clients-ko-phone.png", full_page=True)
    style = page.locator("main").evaluate("e => [getComputedStyle(e).wordBreak, getComputedStyle(e).overflowWrap]")
    assert style == ["keep-all", "anywhere"]
