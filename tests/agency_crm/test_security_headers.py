"""Security headers on every response: the Content-Security-Policy (and the email frames' own,
stricter ones), Referrer-Policy and Permissions-Policy. The browser test
(tests/browser/test_content_security_policy.py) checks that no page breaks the policy."""

import pytest
from django.test import Client as HttpClient

from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from tests.agency_crm.factories import OutboundEmailFactory
from tests.followups.mailin_support import build_email

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


@pytest.mark.parametrize("path", ["/", "/clients/", "/accounts/login/", "/no-such-page/", "/healthz"])
def test_every_response_carries_the_policy_and_the_headers(manager_client, path):
    response = manager_client.get(path)
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_anonymous_visitor_gets_them_too():
    response = HttpClient().get("/accounts/login/")
    assert directives(response)["frame-ancestors"] == "'none'"
    assert response.headers["Permissions-Policy"]


@pytest.fixture
def html_mail(settings, tmp_path, manager):
    settings.MEDIA_ROOT = tmp_path / "media"
    html = "<p>Hello <a href='https://ok.example/'>site</a> <a href='data:text/html;base64,PHNjcmlwdD4='>x</a></p>"
    return mail_ingest(raw=build_email(html=html, body=None).as_bytes(), source=MailSource.IMAP).email


def test_the_received_mail_frame_has_a_policy_that_loads_nothing(manager_client, html_mail):
    page = manager_client.get(f"/mail/{html_mail.pk}/")
    assert f'src="/mail/{html_mail.pk}/html/"' in page.content.decode()
    assert 'sandbox=""' in page.content.decode() and "srcdoc" not in page.content.decode()

    frame = manager_client.get(f"/mail/{html_mail.pk}/html/")
    assert frame.status_code == 200
    policy = directives(frame)
    assert policy["default-src"] == "'none'"
    assert set(policy) == {"default-src", "base-uri", "form-action", "frame-ancestors", "sandbox"}
    assert policy["sandbox"] == "" and policy["frame-ancestors"] == "'self'"
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert frame.headers["Referrer-Policy"] == "no-referrer"
    body = frame.content.decode()
    assert 'href="https://ok.example/"' in body and "data:" not in body


def test_a_stored_data_link_from_before_the_fix_is_removed_when_shown(manager_client, html_mail):
    type(html_mail).objects.filter(pk=html_mail.pk).update(html_body='<a href="data:text/html,x">old</a>')
    body = manager_client.get(f"/mail/{html_mail.pk}/html/").content.decode()
    assert "old" in body and "data:" not in body


def test_the_outbox_frame_allows_only_the_emails_inline_styles(manager_client):
    email = OutboundEmailFactory(html_body='<p style="color:#6c757d">Hello</p>')
    page = manager_client.get(f"/outbox/{email.pk}/")
    assert f'src="/outbox/{email.pk}/html/"' in page.content.decode()

    frame = manager_client.get(f"/outbox/{email.pk}/html/")
    assert frame.status_code == 200
    policy = directives(frame)
    assert policy["default-src"] == "'none'" and policy["style-src"] == "'unsafe-inline'"
    assert "script-src" not in policy and policy["sandbox"] == ""
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert frame.content.decode() == '<p style="color:#6c757d">Hello</p>'


def test_the_frames_need_a_login(client, html_mail):
    assert client.get(f"/mail/{html_mail.pk}/html/").status_code == 302
    email = OutboundEmailFactory(html_body="<p>x</p>")
    assert client.get(f"/outbox/{email.pk}/html/").status_code == 302
