"""The customers' own doors end to end (issue 18), in Chromium on a live server with a real Celery
worker delivering every email to an SMTP server on loopback:

a visitor writes through /contact/ (a file too large is refused in the browser with the limit, a
post sooner than a person types gets the form back with the text kept) -> the owner sees the bell
notice of the new lead and the inbox row with the clock running -> the
acknowledgement states the due time -> staff reply by email -> the customer asks for a link at
/my/, opens it from the email, sees the reply and writes back -> the conversation waits on us again.

And the embedded form inside a page of another origin served from loopback: shown where that
origin is allowed (screenshot in var/screenshots/), refused where it is not.
"""

import datetime as dt
import functools
import http.server
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from followups.models import Conversation, ResponsePolicy
from tests.conftest import wait_until
from tests.factories import PASSWORD, ManagerFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]
SEOUL = ZoneInfo("Asia/Seoul")
SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def _wednesday_morning() -> dt.datetime:
    now = timezone.now().astimezone(SEOUL)
    day = now.date() - dt.timedelta(days=(now.weekday() - 2) % 7)
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=SEOUL)
    return moment if moment <= now else moment - dt.timedelta(days=7)


def _to(smtp, address, subject_part=""):
    return [
        message
        for envelope, message in smtp.messages
        if address in envelope.rcpt_tos and subject_part in str(message["Subject"])
    ]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_visitor_writes_gets_an_answer_and_writes_back_from_their_page(
    live_server, page, login, browser, settings, smtp_server, celery_processes
):
    settings.SITE_URL = live_server.url
    settings.CONTACT_FORM_MIN_SECONDS = 1
    with time_machine.travel(_wednesday_morning(), tick=True):
        ResponsePolicy.objects.all().delete()
        ResponsePolicy.objects.create(
            tier="", first_response_minutes=480, next_reply_minutes=480, around_the_clock=True
        )
        celery_processes("worker", **smtp_server.env(), SITE_URL=live_server.url)
        ManagerFactory(username="boss", first_name="서연", last_name="김", email="boss@agency.example")

        # 1. A visitor writes through the contact form, in Korean.
        visitor = browser.new_context(locale="ko-KR").new_page()
        posts = []
        visitor.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        visitor.goto(f"{live_server.url}/contact/")
        assert visitor.locator("h1").inner_text() == "문의하기"
        limit = visitor.locator("[data-testid=attachments-limit]").inner_text().replace("\xa0", " ")
        assert "4.0 MB" in limit  # the limit is stated beside the field
        visitor.fill("input[name=name]", "이하나")
        visitor.fill("input[name=email]", "hana@bakery.example")
        visitor.fill("input[name=company]", "하나 베이커리")
        visitor.fill("textarea[name=message]", "온라인 주문 페이지가 필요합니다.\n가능할까요?")
        visitor.check("input[name=consent]")

        # 1a. A file too large is refused in the browser, with the limit, before anything is sent.
        big = {"name": "menu.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"0" * 6_500_000}
        visitor.set_input_files("input[name=attachments]", [big])
        notice = visitor.locator("[data-testid=attachments-too-large]")
        expect(notice).to_be_visible()
        refused = notice.inner_text().replace("\xa0", " ")
        assert "6.2 MB" in refused and "4.0 MB" in refused
        visitor.click("[data-testid=contact-submit]")
        visitor.wait_for_timeout(300)
        assert posts == [] and visitor.url == f"{live_server.url}/contact/"
        visitor.set_input_files("input[name=attachments]", [])
        expect(notice).to_be_hidden()

        # 1b. Sent sooner than the minimum fill time: the form comes back with the text kept.
        settings.CONTACT_FORM_MIN_SECONDS = 60
        visitor.click("[data-testid=contact-submit]")
        visitor.wait_for_selector("text=입력하신 내용을 확인하시고 다시 보내 주세요.")
        assert visitor.input_value("textarea[name=message]") == "온라인 주문 페이지가 필요합니다.\n가능할까요?"
        assert visitor.input_value("input[name=email]") == "hana@bakery.example"
        assert not Conversation.objects.exists()

        # 1c. Sent again after a look: accepted.
        settings.CONTACT_FORM_MIN_SECONDS = 1
        visitor.wait_for_timeout(1200)  # a person takes longer than the minimum fill time
        visitor.click("[data-testid=contact-submit]")
        visitor.wait_for_selector("[data-testid=contact-thanks]")
        conversation = Conversation.objects.get(channel="web_form")
        assert conversation.status == "waiting_on_us" and conversation.reply_due_at is not None
        assert conversation.subject == "온라인 주문 페이지가 필요합니다."

        # 2. The owner (the manager, for a new visitor) sees the bell notice of the new lead at once,
        # and the conversation in the inbox with the clock running.
        login("boss", PASSWORD)
        page.goto(f"{live_server.url}/inbox/")
        expect(page.locator("#notification-count")).to_have_text(re.compile(r"^\s*1\s*$"))
        page.click("#notification-bell")
        page.wait_for_url(f"{live_server.url}/notifications/")
        item = page.locator("#notification-list [data-notification]")
        assert item.count() == 1 and "온라인 주문 페이지가 필요합니다." in item.inner_text()
        item.click()
        page.wait_for_url(f"{live_server.url}{conversation.get_absolute_url()}")
        assert page.locator("[data-testid=unverified-sender]").count() == 1
        page.goto(f"{live_server.url}/inbox/")
        row = page.locator(f"#inbox-list [data-conversation='{conversation.pk}']")
        assert "하나 베이커리" in row.inner_text()
        assert row.locator("time.reply-due").count() == 1

        # 3. The acknowledgement states the due time, in the visitor's language.
        ack = wait_until(lambda: _to(smtp_server, "hana@bakery.example"), message="the acknowledgement")[0]
        with translation.override("ko"):
            due = date_format(timezone.localtime(conversation.reply_due_at), "DATETIME_FORMAT")
        assert f"{due} KST까지 답변드리겠습니다." in _text(ack)

        # 4. Staff reply by email.
        page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
        page.select_option("#reply-form select[name=channel]", "email")
        page.fill("#reply-form textarea[name=body]", "네, 가능합니다. 내일 견적을 보내드리겠습니다.")
        page.click("#reply-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/conversations/{conversation.pk}/")
        wait_until(lambda: len(_to(smtp_server, "hana@bakery.example")) >= 2, message="the reply")
        conversation.refresh_from_db()
        assert conversation.status == "waiting_on_customer"

        # 5. The customer asks for a link, opens it from the email, sees the reply and writes back.
        visitor.goto(f"{live_server.url}/my/")
        visitor.fill("input[name=email]", "HANA@bakery.example")
        visitor.click("[data-testid=portal-ask] button[type=submit]")
        visitor.wait_for_selector("[data-testid=portal-sent]")
        subject = "요청과 제안서를 확인하실 수 있는 링크"
        email = wait_until(lambda: _to(smtp_server, "hana@bakery.example", subject), message="the link")[0]
        link = re.search(rf"{re.escape(live_server.url)}/my/[^/\s]+/", _text(email)).group(0)
        visitor.goto(link)
        card = visitor.locator(f"#conversation-{conversation.pk}")
        assert "내일 견적을 보내드리겠습니다." in card.inner_text()
        assert "저희 쪽 담당자는 김서연입니다." in visitor.inner_text("main")
        card.locator("textarea[name=body]").fill("감사합니다. 예산은 300만 원입니다.")
        card.locator("button[type=submit]").click()
        visitor.wait_for_url(re.compile(r".*\?sent=1.*"))
        assert "300만 원" in visitor.locator(f"#conversation-{conversation.pk}").inner_text()
        assert visitor.locator("[data-testid=portal-due]").count() == 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        visitor.set_viewport_size({"width": 390, "height": 844})
        visitor.screenshot(path=SHOTS / "ko-phone-my-page.png", full_page=True)
        conversation.refresh_from_db()
        assert conversation.status == "waiting_on_us"
        last = conversation.messages.order_by("-occurred_at", "-id").first()
        assert last.channel == "web_form" and last.from_customer


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_the_embedded_form_shows_inside_an_allowed_site_only(live_server, page, settings, tmp_path):
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Hana Bakery</title></head>"
        "<body style='font-family:sans-serif;margin:24px;background:#fff8ef'><h1>Hana Bakery</h1>"
        "<p>Questions? Write to us below.</p>"
        f"<iframe id='gonggam' src='{live_server.url}/contact/embed/?lang=en' title='Contact us' "
        "style='width:100%;max-width:560px;height:900px;border:1px solid #ddd'></iframe></body></html>"
    )
    allowed, allowed_origin = _serve(tmp_path)
    other, other_origin = _serve(tmp_path)
    try:
        settings.CONTACT_FORM_ALLOWED_ORIGINS = [allowed_origin]
        page.set_viewport_size({"width": 800, "height": 1100})
        page.goto(f"{allowed_origin}/index.html")
        frame = page.frame_locator("#gonggam")
        frame.locator("[data-testid=contact-form]").wait_for()
        assert frame.locator("input[name=email]").is_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "contact-embed.png", full_page=True)

        page.goto(f"{other_origin}/index.html")
        page.wait_for_timeout(1500)
        embedded = page.frame(url=re.compile(r".*/contact/embed/.*"))
        assert embedded is None or embedded.locator("[data-testid=contact-form]").count() == 0
    finally:
        allowed.shutdown()
        other.shutdown()
