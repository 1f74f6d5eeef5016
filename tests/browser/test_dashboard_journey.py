"""A manager on a phone opens the dashboard from the menu, toggles calendar hours, filters by an
owner, follows a row to the conversations behind it and downloads a table as CSV."""

import datetime as dt

import pytest
from django.utils import timezone

from followups.conversations.services import conversation_reply, message_receive
from followups.models import Channel, ensure_default_policies
from tests.factories import PASSWORD, ClientFactory, ManagerFactory, UserFactory
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.browser


def test_manager_reads_filters_drills_down_and_exports(live_server, page, login):
    ensure_default_policies()  # the live server's tables were flushed by earlier transactional tests
    ManagerFactory(username="seoyeon", first_name="Seoyeon", last_name="Kim")
    minji = UserFactory(username="minji", first_name="Minji", last_name="Park")
    junho = UserFactory(username="junho", first_name="Junho", last_name="Lee")
    now = timezone.now()
    answered = ConversationFactory(
        client=ClientFactory(name="한빛 물류", account_owner=minji), subject="배송 조회 오류"
    )
    message_receive(
        conversation=answered, body="열리지 않아요", channel=Channel.EMAIL, occurred_at=now - dt.timedelta(hours=3)
    )
    conversation_reply(
        conversation=answered,
        author=minji,
        body="확인했습니다",
        channel=Channel.PHONE,
        occurred_at=now - dt.timedelta(hours=2),
    )
    waiting = ConversationFactory(client=ClientFactory(name="Blue Harbor Coffee", account_owner=junho), subject="Menu")
    message_receive(
        conversation=waiting, body="When?", channel=Channel.KAKAO, occurred_at=now - dt.timedelta(minutes=30)
    )

    page.set_viewport_size({"width": 390, "height": 844})
    login("seoyeon", PASSWORD)
    page.click("button.navbar-toggler")
    page.click("[data-nav=dashboard]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.locator("#headline [data-figure=first]").is_visible()
    assert page.locator("svg#week-chart").is_visible()
    assert page.locator("[data-figure=waiting]").inner_text().startswith("1 /")
    # The owners table has the numbers; its rows are links.
    owners = page.locator("table[data-table=owners]")
    assert owners.locator("a", has_text="Minji Park").count() == 1

    page.select_option("#filter-basis", "calendar")
    page.select_option("#filter-owner", str(minji.pk))
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_url(f"**/dashboard/?*owner={minji.pk}*")
    assert "calendar" in page.url
    assert page.locator("table[data-table=waiting] tbody tr").count() == 1  # only the total: Minji has none

    with page.expect_download() as download_info:
        page.click("[data-export=owners]")
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    assert "Minji Park" in content and "Junho Lee" not in content

    page.locator("table[data-table=owners]").get_by_role("link", name="Minji Park").click()
    page.wait_for_url("**/dashboard/conversations/?*")
    assert page.locator("#drill-table").get_by_text("배송 조회 오류").is_visible()
    assert page.locator("#drill-table").get_by_text("Menu").count() == 0
