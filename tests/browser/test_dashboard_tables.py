"""The dashboard's tables are readable on a phone (390 x 844, Korean) and on a desktop: no cell is
narrower than its longest word ("Junho Lee", "2026-11-30", "합계" one letter per line; week
dates wrapping as "2026-11-/16"); the tables scroll sideways instead, and the "waiting now" chart
sits under its own heading, not under "By week"."""

import datetime as dt

import pytest
from django.utils import timezone

from followups.conversations.services import conversation_reply, message_receive
from followups.models import Channel, ensure_default_policies
from tests.factories import PASSWORD, ClientFactory, ManagerFactory, UserFactory
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Every cell of every dashboard table: its content width and the width of its longest word, both
# measured in the page (the word in a nowrap span inside the cell, so with the cell's own font).
SQUEEZED_CELLS = """
() => [...document.querySelectorAll("main table th, main table td")].flatMap(cell => {
  const words = cell.innerText.split(/\\s+/).filter(Boolean);
  if (!words.length) return [];
  const style = getComputedStyle(cell);
  const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const probe = document.createElement("span");
  probe.style.whiteSpace = "nowrap";
  probe.style.position = "absolute";
  probe.style.visibility = "hidden";
  cell.appendChild(probe);
  let longest = "", longestWidth = 0;
  for (const word of words) {
    probe.textContent = word;
    const w = probe.getBoundingClientRect().width;
    if (w > longestWidth) { longest = word; longestWidth = w; }
  }
  probe.remove();
  return width + 0.5 < longestWidth ? [[cell.closest("table").dataset.table, longest, width, longestWidth]] : [];
})
"""


@pytest.fixture
def dashboard_world(db):
    ensure_default_policies()
    ManagerFactory(username="seoyeon", first_name="서연", last_name="김")
    owners = [
        UserFactory(username="junho", first_name="Junho", last_name="Lee"),
        UserFactory(username="minji", first_name="민지", last_name="박"),
    ]
    now = timezone.now()
    for weeks in range(4):
        for owner in owners:
            client = ClientFactory(name=f"한빛 물류 유지보수 계약 고객사 {weeks}", account_owner=owner)
            conversation = ConversationFactory(client=client, subject="배송 조회 오류")
            asked = now - dt.timedelta(weeks=weeks, hours=5)
            message_receive(conversation=conversation, body="열리지 않아요", channel=Channel.EMAIL, occurred_at=asked)
            conversation_reply(
                conversation=conversation,
                author=owner,
                body="확인했습니다",
                channel=Channel.KAKAO,
                occurred_at=asked + dt.timedelta(hours=2),
            )
    waiting = ConversationFactory(client=ClientFactory(name="Blue Harbor Coffee", account_owner=owners[0]))
    message_receive(conversation=waiting, body="When?", channel=Channel.EMAIL, occurred_at=now - dt.timedelta(hours=1))


@pytest.mark.parametrize(("size", "language"), [(PHONE, "ko"), (DESKTOP, "en"), (DESKTOP, "ko")])
def test_no_dashboard_cell_is_narrower_than_its_longest_word(
    live_server, page, login, dashboard_world, tmp_path, size, language
):
    page.set_viewport_size(size)
    login("seoyeon", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboard/?period=12w")
    assert page.evaluate("document.documentElement.lang") == language
    page.screenshot(path=tmp_path / f"dashboard-{language}-{size['width']}.png", full_page=True)
    assert page.locator("table[data-table=weeks] tbody tr").count() >= 4
    squeezed = page.evaluate(SQUEEZED_CELLS)
    assert squeezed == [], squeezed
    # A wide table scrolls inside its own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def test_the_waiting_chart_sits_under_its_own_heading(live_server, page, login, dashboard_world):
    page.set_viewport_size(PHONE)
    login("seoyeon", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    chart = page.locator("svg#waiting-chart")
    # The nearest visible heading above the chart is the waiting table's, not "By week".
    heading = chart.evaluate(
        """svg => {
          const top = svg.getBoundingClientRect().top;
          const above = [...document.querySelectorAll("main h2")]
            .filter(h => h.getBoundingClientRect().height > 1 && h.getBoundingClientRect().bottom <= top);
          return above.length ? above[above.length - 1].innerText : null;
        }"""
    )
    assert heading == "Waiting now, by business time waited"
    table = page.locator("table[data-table=waiting]").bounding_box()
    assert chart.bounding_box()["y"] < table["y"]
