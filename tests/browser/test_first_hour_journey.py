"""A new agency's first hour, end to end in Chromium on a live server that is not on port 8000,
with a real Celery worker delivering every email to an SMTP server on loopback (issue 14):

log a call -> reply by email -> send a proposal -> the customer opens the link found in the sent
email and accepts -> mark delivered and see the check-ins at once -> the customer answers
"Not good" from the feedback link in our email -> the manager's email arrives at once -> the
weekly review lists exactly the real breaches.

The clock is a fixed weekday morning (the most recent Wednesday 10:00 in Seoul before now, ticking),
so nothing depends on the hour the suite runs; the policy counts around the clock, so holidays do
not move the due times either.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import Checkin, CheckinPlan, Conversation, ResponsePolicy, ensure_default_checkin_plans
from inquiries.models import Inquiry
from tests.conftest import wait_until
from tests.factories import PASSWORD, ClientFactory, ContactFactory, ManagerFactory, UserFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]
SEOUL = ZoneInfo("Asia/Seoul")


def _last_wednesday_morning() -> dt.datetime:
    now = timezone.now().astimezone(SEOUL)
    day = now.date() - dt.timedelta(days=(now.weekday() - 2) % 7)
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=SEOUL)
    return moment if moment <= now else moment - dt.timedelta(days=7)


def _emails_to(smtp, address):
    return [message for envelope, message in smtp.messages if address in envelope.rcpt_tos]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _link(message, pattern: str) -> str:
    return re.search(pattern, _text(message)).group(0)


def _waiting(client, subject, asked, answered=None, *, actor):
    conversation = conversation_start(client=client, subject=subject, channel="email", actor=actor)
    message_receive(conversation=conversation, body=subject, channel="email", occurred_at=asked)
    if answered is not None:
        conversation_reply(conversation=conversation, author=actor, body="Done", channel="phone", occurred_at=answered)
    return conversation


def test_the_first_hour_of_a_new_agency(live_server, page, login, browser, settings, smtp_server, celery_processes):
    assert not live_server.url.endswith(":8000")
    settings.SITE_URL = live_server.url
    wednesday = _last_wednesday_morning()
    monday = wednesday.date() - dt.timedelta(days=2)
    with time_machine.travel(wednesday, tick=True):
        ResponsePolicy.objects.all().delete()
        ResponsePolicy.objects.create(
            tier="", first_response_minutes=480, next_reply_minutes=480, around_the_clock=True
        )
        ensure_default_checkin_plans()
        celery_processes("worker", **smtp_server.env(), SITE_URL=live_server.url)
        minji = UserFactory(username="minji", first_name="Minji", last_name="Park", email="minji@agency.example")
        boss = ManagerFactory(username="boss", first_name="Seoyeon", last_name="Kim", email="boss@agency.example")
        client = ClientFactory(name="서울 치과의원", account_owner=minji)
        contact = ContactFactory(client=client, name="박지훈", email="jh@clinic.example", preferred_language="ko")
        # The week so far: one answer was late, one customer still waits past the due time, and
        # one wait falls due this afternoon (not a breach yet).
        other = ClientFactory(name="Blue Harbor", account_owner=minji)
        late = _waiting(
            other, "Late answer", wednesday - dt.timedelta(hours=26), wednesday - dt.timedelta(hours=2), actor=minji
        )
        overdue = _waiting(other, "Still waiting", wednesday - dt.timedelta(hours=40), actor=minji)
        _waiting(other, "Due this afternoon", wednesday - dt.timedelta(hours=4), actor=minji)

        # 1. Log the customer's call in the inbox.
        login("minji", PASSWORD)
        page.goto(f"{live_server.url}/inbox/")
        page.locator("#contact-q").press_sequentially("박지훈", delay=30)
        page.locator(f"#contact-options label[data-contact='{contact.pk}']").click()
        page.check("input[name=direction][value=in]")
        page.select_option("select[name=channel]", "phone")
        page.fill(
            "textarea[name=body]", "예약 앱을 만들고 싶다는 전화. 카카오 알림톡 연동도 원하심. 다음 주까지 견적 요청."
        )
        with page.expect_navigation(url=f"{live_server.url}/inbox/"):
            page.click("#quick-log-submit")
        conversation = Conversation.objects.get(client=client)
        assert len(conversation.subject) <= 80

        # 2. Reply by email; it reaches the customer through the worker.
        page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
        page.select_option("#reply-form select[name=channel]", "email")
        page.fill("#reply-form textarea[name=body]", "전화 주셔서 감사합니다. 이번 주 안에 견적을 보내드리겠습니다.")
        page.click("#reply-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/conversations/{conversation.pk}/")
        reply = wait_until(lambda: _emails_to(smtp_server, contact.email), message="the reply at the SMTP server")[0]
        assert "이번 주 안에 견적을" in _text(reply)

        # 3. Send a proposal; the page names the recipient.
        inquiry = InquiryFactory(client=client, contact=contact, owner=minji, title="치과 예약 앱")
        ScopeItemFactory(
            inquiry=inquiry,
            title="온라인 예약",
            priority="must",
            optimistic_hours=10,
            likely_hours=20,
            pessimistic_hours=30,
        )
        ScopeItemFactory(
            inquiry=inquiry,
            title="카카오 알림톡",
            priority="should",
            optimistic_hours=5,
            likely_hours=10,
            pessimistic_hours=15,
        )
        page.goto(f"{live_server.url}/inquiries/{inquiry.pk}/")
        assert "jh@clinic.example" in page.locator("form[action$='/proposals/send/']").inner_text()
        page.click("[data-testid=send-proposal]")
        page.wait_for_url(f"{live_server.url}/inquiries/{inquiry.pk}/proposals/1/")
        shown = page.locator("[data-testid=public-link]").input_value()

        # 4. The customer opens the link found in the email and accepts.
        proposal_email = wait_until(
            lambda: [m for m in _emails_to(smtp_server, contact.email) if "/p/" in _text(m)],
            message="the proposal email at the SMTP server",
        )[0]
        emailed = _link(proposal_email, rf"{re.escape(live_server.url)}/p/[^\s]+/")
        assert emailed == shown
        customer = browser.new_context(locale="ko-KR")
        public = customer.new_page()
        public.goto(emailed)
        public.get_by_label("카카오 알림톡").check()
        public.fill("input[name=name]", "박지훈")
        public.click("[data-testid=accept]")
        public.locator("[data-testid=accepted]").wait_for()
        wait_until(
            lambda: [m for m in _emails_to(smtp_server, contact.email) if "수락" in str(m["Subject"])],
            message="the acceptance confirmation at the SMTP server",
        )

        # 5. Mark it delivered and see the check-ins at once.
        page.goto(f"{live_server.url}/inquiries/{inquiry.pk}/")
        page.fill("input[name=delivered_on]", wednesday.date().isoformat())
        page.locator("form[action$='/delivered/'] button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/inquiries/{inquiry.pk}/")
        assert Inquiry.objects.get(pk=inquiry.pk).delivered_on == wednesday.date()
        plan = CheckinPlan.objects.get(kind=CheckinPlan.Kind.AFTER_DELIVERY)
        assert Checkin.objects.filter(schedule__inquiry=inquiry, schedule__plan=plan).count() == len(plan.offsets_days)
        page.goto(f"{live_server.url}/checkins/")
        assert "서울 치과의원" in page.locator("main").inner_text()

        # 6. The customer answers "Not good" from the feedback link in our reply.
        feedback_link = _link(reply, rf"{re.escape(live_server.url)}/feedback/[^\s]+/")
        public.goto(feedback_link)
        public.locator("input[name=rating][value=not_good]").check()
        public.fill("textarea[name=comment]", "<b>전화가</b> 늦었어요")
        public.locator("button[type=submit]").click()
        public.locator("[data-testid=feedback-thanks]").wait_for()
        customer.close()

        # 7. The manager's email arrives at once, saying what happened (no batching interval).
        urgent = wait_until(lambda: _emails_to(smtp_server, boss.email), timeout=30, message="the manager's email")[0]
        assert "박지훈" in str(urgent["Subject"]) and "서울 치과의원" in str(urgent["Subject"])
        assert "<b>전화가</b> 늦었어요" in _text(urgent)

        # 8. The weekly review lists exactly the real breaches.
        manager = browser.new_context()
        review = manager.new_page()
        review.goto(f"{live_server.url}/accounts/login/")
        review.fill("input[name=username]", "boss")
        review.fill("input[name=password]", PASSWORD)
        review.click("button[type=submit]")
        review.wait_for_url(f"{live_server.url}/")
        review.goto(f"{live_server.url}/review/weekly/{monday.isoformat()}/")
        breached = review.locator("[data-testid=breached]").inner_text()
        assert late.subject in breached and overdue.subject in breached
        assert "Due this afternoon" not in breached and conversation.subject not in breached
        assert review.locator("[data-testid=breached] li").count() == 2
        manager.close()
