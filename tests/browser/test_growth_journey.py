"""Deferred wants come back (issue 33): a Korean colleague on a phone delivers an inquiry whose
proposal deferred a want, opens the first check-in, reads "지난번에 원했던 것: 실시간 배송 추적",
and starts a new inquiry from it, pre-filled with the want and its old estimate."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from agency_crm.preferences.services import preferences_save
from followups.care.models import ensure_default_checkin_plans
from followups.growth.models import GrowthItem
from inquiries import services
from inquiries.models import Inquiry
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"  # not committed: for a person to look at


def test_a_deferred_want_comes_back_at_the_first_checkin_and_becomes_an_inquiry(live_server, page, login):
    ensure_default_checkin_plans()  # a live-server test's flush removes the migration's rows
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    preferences_save(user=minji, changes={"language": "ko"})
    customer = ClientFactory(name="한빛 물류", account_owner=minji)
    contact = ContactFactory(client=customer, name="최지우", email="", preferred_language="ko")
    inquiry = services.inquiry_create(
        actor=minji,
        client=customer,
        contact=contact,
        details={"title": "배송 관리 시스템", "source": "phone", "problem": "엑셀로 배송을 관리해요", "owner": minji},
    )
    for title, priority, hours in (("배송 등록", "must", (8, 12, 20)), ("실시간 배송 추적", "wont", (40, 60, 100))):
        services.scope_item_add(
            inquiry=inquiry,
            actor=minji,
            fields={"title": title, "priority": priority, **dict(zip(
                ("optimistic_hours", "likely_hours", "pessimistic_hours"), map(Decimal, hours), strict=True))},
        )  # fmt: skip
    proposal = services.proposal_send(inquiry=inquiry, actor=minji)
    services.proposal_accept(proposal=proposal, accepted_by_name="최지우", want_ids=[])

    page.set_viewport_size(PHONE)
    login("minji", PASSWORD)
    page.goto(f"{live_server.url}/inquiries/{inquiry.pk}/")
    page.fill("input[name=delivered_on]", dt.date.today().isoformat())
    page.get_by_role("button", name="납품일 저장").click()
    page.wait_for_url(f"{live_server.url}/inquiries/{inquiry.pk}/")

    page.goto(f"{live_server.url}/checkins/")
    page.locator("[data-testid=checkin-list] li").first.get_by_role("link", name="납품 후").click()
    panel = page.get_by_test_id("growth-items")
    assert "지난번에 원했던 것: 실시간 배송 추적 — 지금이 적기인지 물어보세요." in panel.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "ko-phone-checkin-growth.png", full_page=True)
    panel.get_by_role("link", name="이것으로 문의 시작").click()
    assert page.input_value("input[name=title]") == "실시간 배송 추적"
    assert "40 / 60 / 100" in page.get_by_test_id("growth-item-summary").inner_text()
    page.get_by_role("button", name="문의 시작").click()

    new = Inquiry.objects.exclude(pk=inquiry.pk).get()
    page.wait_for_url(f"{live_server.url}/inquiries/{new.pk}/")
    assert "실시간 배송 추적" in page.inner_text("body")
    page.screenshot(path=SHOTS / "ko-phone-inquiry-from-growth.png", full_page=True)
    assert GrowthItem.objects.get().started_inquiry == new
    assert list(new.scope_items.values_list("likely_hours", flat=True)) == [Decimal("60.0")]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
