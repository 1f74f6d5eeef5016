"""The whole invitation through the real parts: a manager invites on the team page, a Celery
worker (subprocess, Redis broker) delivers the email to an SMTP server on loopback, the link in
the received email sets a password, and the colleague logs in with it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from agency_crm.outbox import OutboundEmail
from tests.conftest import wait_until
from tests.factories import ManagerFactory

pytestmark = pytest.mark.integration


def test_the_invitation_arrives_by_smtp_and_its_link_makes_a_colleague_who_logs_in(
    celery_processes, smtp_server, settings
):
    settings.SITE_URL = "http://testserver"
    celery_processes("worker", **smtp_server.env(), SITE_URL="http://testserver")
    manager = ManagerFactory(username="boss", first_name="서연", last_name="김")
    browser = Client()
    browser.force_login(manager)
    response = browser.post(
        "/settings/people/invite/",
        {"email": "haneul@agency.example", "first_name": "하늘", "role": "staff", "language": "ko"},
    )
    assert response.status_code == 302

    wait_until(lambda: smtp_server.messages, timeout=30, message="the invitation reaching the SMTP server")
    [(envelope, message)] = smtp_server.messages
    assert envelope.rcpt_tos == ["haneul@agency.example"]
    assert message["Subject"].strip() == "Gonggam Demo Agency에서 공감(Gonggam)으로 초대합니다"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "김서연 님이" in text and "하늘" in text
    link = re.search(r"http://testserver(/join/\S+/)", text).group(1)
    wait_until(
        lambda: OutboundEmail.objects.filter(kind="invitation", status="sent").exists(),
        message="the email marked sent",
    )

    newcomer = Client()
    form = newcomer.get(link)
    assert form.status_code == 200 and "팀에 합류하기" in form.content.decode()
    response = newcomer.post(
        link,
        {
            "username": "haneul",
            "first_name": "하늘",
            "last_name": "정",
            "language": "ko",
            "password1": "paper-lantern-harbor-77",
            "password2": "paper-lantern-harbor-77",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert newcomer.get("/").status_code == 200
    assert get_user_model().objects.get(username="haneul").email == "haneul@agency.example"

    later = Client()
    response = later.post("/accounts/login/", {"username": "haneul", "password": "paper-lantern-harbor-77"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert later.get("/inbox/").status_code == 200
    # The link worked once.
    assert Client().get(link).status_code == 404
