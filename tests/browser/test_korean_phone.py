"""Korean first, on a phone (issue 17): a Korean-language colleague reads the inbox, a client's
timeline, the notifications and the check-ins in Korean after an English-language colleague acted,
with Korean names family name first and Korean dates. Screenshots go to var/screenshots/ (not
committed) so a person can look at them."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from agency_crm.preferences.services import preferences_save
from clients.services import client_update
from followups.care.models import Checkin, CheckinPlan, CheckinSchedule, ensure_default_checkin_plans
from followups.conversations.services import conversation_reassign, message_receive
from followups.models import Channel, ensure_default_policies
from followups.reminders.services import notify
from tests.factories import PASSWORD, ClientFactory, ContactFactory, UserFactory
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_korean_colleague_reads_everything_in_korean_on_a_phone(live_server, page, login):
    ensure_default_policies()
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    tom = UserFactory(username="tom", first_name="Tom", last_name="Hardy")
    preferences_save(user=minji, changes={"language": "ko"})
    preferences_save(user=tom, changes={"language": "en"})
    customer = ClientFactory(name="한빛 물류", account_owner=tom)
    contact = ContactFactory(client=customer, name="최지우", preferred_language="ko")
    conversation = ConversationFactory(client=customer, contact=contact, subject="배송 일정 문의", owner=tom)
    with translation.override("en"):
        message_receive(
            conversation=conversation, body="다음 주 배송 가능한가요?", channel=Channel.EMAIL, contact=contact
        )
        client_update(client=customer, actor=tom, changes={"account_owner": minji})
        conversation_reassign(conversation=conversation, to_user=minji, actor=tom)
        notify(
            recipients=[minji], kind="test", title="Overdue check-in with %(client)s", params={"client": customer.name}
        )
    ensure_default_checkin_plans()  # a live-server test's flush removes the migration's rows
    plan = CheckinPlan.objects.get(kind="after_delivery")
    schedule = CheckinSchedule.objects.create(plan=plan, client=customer, started_on=dt.date.today())
    today = dt.date.today()
    Checkin.objects.create(schedule=schedule, client=customer, owner=minji, sequence=1, channel="email", due_on=today)
    Checkin.objects.create(
        schedule=schedule, client=customer, owner=minji, sequence=2, channel="call", due_on=today + dt.timedelta(days=3)
    )

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    login("minji", PASSWORD)
    expectations = {
        "inbox": ("/inbox/", ["받은 메시지", "배송 일정 문의"]),
        "timeline": (f"/clients/{customer.pk}/", ["담당자 변경: Tom Hardy → 박민지", "대화"]),
        "notifications": ("/notifications/", ["Tom Hardy 님이 대화 배송 일정 문의", "안부 확인 기한 초과"]),
        "checkins": ("/checkins/", ["안부 확인", "납품 후"]),
    }
    for name, (path, words) in expectations.items():
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=SHOTS / f"ko-phone-{name}.png", full_page=True)
        text = page.inner_text("body")
        for word in words:
            assert word in text, (name, word)
        for english in ("Inbox", "Account owner changed", "handed you", "Check-in", "After delivery", "Minji Park"):
            assert english not in text, (name, english)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
