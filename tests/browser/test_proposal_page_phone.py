"""The customer's proposal page on a phone, in Korean: it carries the agency's name (not the
CRM's), its checkboxes stand apart from their labels, and the "시간" header is one line."""

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_korean_proposal_page_on_a_phone(live_server, page, settings, tmp_path):
    from inquiries import services
    from tests.factories import ClientFactory, ContactFactory
    from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

    settings.AGENCY_NAME = "한빛 디자인 스튜디오"
    client = ClientFactory(name="서울 치과의원")
    ContactFactory(client=client, name="박지훈", preferred_language="ko")
    inquiry = InquiryFactory(title="예약 앱", client=client)
    ScopeItemFactory(inquiry=inquiry, title="온라인 예약", priority="must")
    ScopeItemFactory(inquiry=inquiry, title="카카오 알림톡 연동", priority="should")
    ScopeItemFactory(inquiry=inquiry, title="포인트 적립", priority="could")
    proposal = services.proposal_send(inquiry=inquiry, actor=inquiry.owner)
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": "ko", "url": live_server.url}])
    page.goto(f"{live_server.url}/p/{proposal.link_token}/")
    page.screenshot(path=tmp_path / "proposal-ko-phone.png", full_page=True)

    assert page.locator(".navbar-brand").inner_text() == "한빛 디자인 스튜디오"
    assert "Gonggam" not in page.title() and "공감" not in page.locator("nav").inner_text()

    gaps = page.evaluate(
        """() => [...document.querySelectorAll(".accept-form input[type=checkbox]")].map(box => {
          const label = document.querySelector(`label[for="${box.id}"]`);
          return label.getBoundingClientRect().left - box.getBoundingClientRect().right;
        })"""
    )
    assert len(gaps) == 2 and all(gap >= 4 for gap in gaps), gaps

    heights = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid=proposal-body] th")]
          .filter(th => th.innerText.trim() === "시간")
          .map(th => [th.getBoundingClientRect().height, parseFloat(getComputedStyle(th).lineHeight)
            + parseFloat(getComputedStyle(th).paddingTop) + parseFloat(getComputedStyle(th).paddingBottom)])"""
    )
    assert heights and all(height <= one_line + 1 for height, one_line in heights), heights
