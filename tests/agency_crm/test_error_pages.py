"""Every error page uses the app's layout in the reader's language, says why and offers a way
back; an ordinary 403 does not print a traceback in the log (issue 14.6)."""

import logging

import pytest
from django.test import Client as HttpClient
from django.test import override_settings

pytestmark = pytest.mark.django_db
BRAND = "공감 Gonggam"


def _page(response) -> str:
    body = response.content.decode()
    assert BRAND in body and 'href="/static/css/app.css"' in body  # the app's layout
    return body


@pytest.mark.parametrize(
    ("language", "why", "back"),
    [("en", "only for managers", "Back to the start page"), ("ko", "관리자만", "첫 화면으로")],
)
def test_staff_opening_a_manager_page_get_a_403_in_the_layout(owner_client, language, why, back, caplog):
    owner_client.cookies["django_language"] = language
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = owner_client.get("/dashboard/")
    assert response.status_code == 403
    body = _page(response)
    assert why in body and back in body and 'href="/"' in body
    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert forbidden and all(r.exc_info is None and "Traceback" not in r.getMessage() for r in forbidden)


@pytest.mark.parametrize(("language", "text"), [("en", "Page not found"), ("ko", "페이지를 찾을 수 없습니다")])
def test_an_unknown_address_gets_a_404_in_the_layout(owner_client, language, text):
    owner_client.cookies["django_language"] = language
    response = owner_client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in _page(response)


def test_a_404_for_someone_logged_out_offers_the_login_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/accounts/login/"' in _page(response)


def test_a_wrong_method_gets_a_405_in_the_layout_and_keeps_allow(owner_client):
    response = owner_client.get("/inbox/log/")  # POST only
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This address does not accept that kind of request" in _page(response)


def test_a_bad_host_gets_a_400_in_the_layout():
    response = HttpClient(HTTP_HOST="evil.example").get("/accounts/login/")
    assert response.status_code == 400
    assert "could not be understood" in _page(response)


@override_settings(ROOT_URLCONF="tests.agency_crm.error_urls")
def test_too_many_requests_gets_a_429_in_the_layout(owner_client):
    response = owner_client.get("/too-many/")
    assert response.status_code == 429
    assert "Too many requests" in _page(response)


@override_settings(ROOT_URLCONF="tests.agency_crm.error_urls")
def test_a_server_error_gets_a_500_in_the_layout_in_korean(owner):
    browser = HttpClient(raise_request_exception=False)
    browser.force_login(owner)
    browser.cookies["django_language"] = "ko"
    response = browser.get("/broken/")
    assert response.status_code == 500
    body = _page(response)
    assert "문제가 생겼습니다" in body and 'href="/"' in body
