"""Staff build an inquiry with two needs and two wants, send it; the client opens the public link
in a separate (anonymous) browser context, accepts the car plus one want, and staff see it won."""

import re

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.browser

ITEMS = [
    # title, priority, O, M, P  (expected hours)
    ("온라인 예약", "must", "10", "20", "30"),  # 20
    ("관리자 화면", "must", "20", "40", "60"),  # 40
    ("카카오 알림톡", "should", "5", "10", "15"),  # 10
    ("포인트 적립", "could", "10", "30", "50"),  # 30
]


def _add_item(page, title, priority, o, m, p):
    form = page.locator("#item-add-form")
    if not form.is_visible():
        page.locator("#scope summary").click()
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=priority]").select_option(priority)
    form.locator("input[name=optimistic_hours]").fill(o)
    form.locator("input[name=likely_hours]").fill(m)
    form.locator("input[name=pessimistic_hours]").fill(p)
    form.locator("button[type=submit]").click()
    page.locator(f"#scope tr[data-priority={priority}]", has_text=title).wait_for()


def test_build_send_accept_and_see_the_inquiry_won(live_server, page, login, browser, settings):
    settings.SITE_URL = live_server.url  # the link staff see is the one the email carries
    staff = UserFactory(username="minji", first_name="Minji", last_name="Park")
    client = ClientFactory(name="서울 치과의원", account_owner=staff)
    ContactFactory(client=client, name="박지훈")
    login("minji", PASSWORD)

    page.goto(f"{live_server.url}/inquiries/new/")
    page.fill("input[name=title]", "예약 앱")
    page.select_option("select[name=client]", str(client.pk))
    page.fill("textarea[name=problem]", "전화 예약이 너무 많아요")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inquiries/*/")
    inquiry = Inquiry.objects.get(title="예약 앱")

    for item in ITEMS:
        _add_item(page, *item)
    # Car: 60 h x 120,000; flying car: 100 h (musts are exactly 60%: no warning).
    comparison = page.locator("#comparison")
    assert "KRW 7,200,000" in comparison.inner_text()
    assert "KRW 12,000,000" in comparison.inner_text()
    assert page.locator("[data-testid=must-share-warning]").count() == 0

    page.click("[data-testid=send-proposal]")
    page.wait_for_url(f"{live_server.url}/inquiries/{inquiry.pk}/proposals/1/")
    link = page.locator("[data-testid=public-link]").input_value()
    assert link.startswith(f"{live_server.url}/p/")

    customer = browser.new_context()
    try:
        public = customer.new_page()
        public.goto(link)
        assert public.get_by_text("Native", exact=False).count() == 0
        assert "온라인 예약" in public.locator("[data-testid=proposal-body]").inner_text()
        public.get_by_label("카카오 알림톡").check()
        public.fill("input[name=name]", "박지훈")
        public.click("[data-testid=accept]")
        public.locator("[data-testid=accepted]").wait_for()
        # 60 h + 10 h = 70 h x 120,000
        assert public.locator("[data-testid=accepted-total]").inner_text() == "KRW 8,400,000"
        assert public.locator("[data-testid=accept]").count() == 0
    finally:
        customer.close()

    # The beat's pick-up tells the owner: the bell counts it and the notification leads to the inquiry.
    from followups.proposals.tasks import proposals_accepted_notify

    assert proposals_accepted_notify() == 1
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("#notification-count")).to_have_text(re.compile(r"^\s*1\s*$"))  # no eval: the CSP
    page.get_by_text("박지훈 accepted proposal v1 for 예약 앱 (KRW 8,400,000)").click()
    page.wait_for_url(f"{live_server.url}/inquiries/{inquiry.pk}/")
    assert page.locator("[data-testid=inquiry-status]").inner_text() == "Won"
    assert page.locator("[data-testid=accepted-total]").inner_text() == "KRW 8,400,000"
    page.goto(f"{live_server.url}/inquiries/?status=won")
    assert page.get_by_role("link", name="예약 앱").is_visible()


def test_the_proposal_page_works_on_a_phone(live_server, page, browser, settings):
    from inquiries import services
    from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

    inquiry = InquiryFactory(title="Phone check")
    ScopeItemFactory(inquiry=inquiry, title="Need", priority="must")
    ScopeItemFactory(inquiry=inquiry, title="Nice to have", priority="could")
    proposal = services.proposal_send(inquiry=inquiry, actor=inquiry.owner)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/p/{proposal.link_token}/")
    accept = page.locator("[data-testid=accept]")
    accept.scroll_into_view_if_needed()
    assert accept.is_visible()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Printed to PDF: the proposal stays, the form, buttons and navigation go.
    page.emulate_media(media="print")
    assert page.locator("[data-testid=proposal-body]").is_visible()
    assert not accept.is_visible()
    assert not page.locator("footer").is_visible()
