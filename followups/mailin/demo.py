"""Demo inbound email for `manage.py seed_demo` (idempotent: fixed Message-IDs deduplicate)."""

import datetime as dt
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime

from django.utils import timezone

from .ingest import mail_ingest
from .models import MailSource


def _korean_question(when):
    message = MIMEText(
        "안녕하세요.\n배송 조회 화면에서 송장 번호 검색이 되지 않습니다.\n확인 부탁드립니다.", "plain", "euc-kr"
    )
    message["Subject"] = Header("송장 번호 검색 오류", "euc-kr")
    message["From"] = "haneul@hanbit-logistics.example"
    message["Message-ID"] = "<demo-hanbit-1@hanbit-logistics.example>"
    message["Date"] = format_datetime(when)
    return message.as_bytes()


def _unknown_sender(when):
    html = (
        "<p>Hello,</p><p>We are a bakery chain looking for a <b>loyalty app</b>. Could you send an estimate?</p>"
        "<script>alert('never runs')</script><img src='https://tracker.example/pixel.gif'>"
    )
    message = MIMEText(html, "html", "utf-8")
    message["Subject"] = "Loyalty app estimate"
    message["From"] = "Grace Han <grace@sunrise-bakery.example>"
    message["Message-ID"] = "<demo-sunrise-1@sunrise-bakery.example>"
    message["Date"] = format_datetime(when)
    return message.as_bytes()


def _auto_reply(when):
    message = MIMEText("I am out of the office until Monday.", "plain", "utf-8")
    message["Subject"] = "Out of office"
    message["From"] = "emma@blueharbor.example"
    message["Auto-Submitted"] = "auto-replied"
    message["Message-ID"] = "<demo-blueharbor-ooo@blueharbor.example>"
    message["Date"] = format_datetime(when)
    return message.as_bytes()


def seed(*, users) -> None:
    now = timezone.now()
    for build, hours_ago in ((_korean_question, 3), (_unknown_sender, 2), (_auto_reply, 1)):
        mail_ingest(raw=build(now - dt.timedelta(hours=hours_ago)), source=MailSource.IMAP)
