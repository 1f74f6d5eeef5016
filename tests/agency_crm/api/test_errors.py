"""Under /api/ every answer is JSON in one shape, `{type, errors: [{code, detail, attr}]}`:
unknown addresses, wrong methods, bad JSON, bodies too large, crafted cursors, the rate limit
(429 with Retry-After) and the 500 handler. Never an HTML page."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import RequestFactory
from django.urls import reverse

from agency_crm.errors import server_error
from tests.agency_crm.api.support import token_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def header(db):
    return token_for(UserFactory(username="api-user"))


def _shape(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert body["errors"][0]["code"] == code, body
    assert set(body["errors"][0]) == {"code", "detail", "attr"}
    return body


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/clients/", "/api/", "/api/v1/clients/999999/"])
def test_unknown_addresses_are_json_404s(client, header, path):
    _shape(client.get(path, HTTP_AUTHORIZATION=header), 404, "not_found")


def test_a_wrong_method_is_a_json_405(client, header):
    _shape(client.delete(reverse("api:clients"), HTTP_AUTHORIZATION=header), 405, "method_not_allowed")


def test_malformed_json_is_a_parse_error(client, header):
    response = client.post(reverse("api:clients"), "{nope", content_type="application/json", HTTP_AUTHORIZATION=header)
    assert _shape(response, 400, "parse_error")["type"] == "client_error"


def test_a_body_too_large_is_a_json_413(client, header, settings):
    settings.REQUEST_MAX_BODY_BYTES = 70_000
    body = json.dumps({"name": "x" * 80_000})
    response = client.post(reverse("api:clients"), body, content_type="application/json", HTTP_AUTHORIZATION=header)
    _shape(response, 413, "request_too_large")


@pytest.mark.parametrize("position", ["abc", "9" * 30, "\x00", "2026-13-01"])
def test_a_crafted_cursor_is_a_404_not_a_server_error(client, header, position):
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    response = client.get(reverse("api:clients"), {"cursor": cursor}, HTTP_AUTHORIZATION=header)
    _shape(response, 404, "not_found")


def test_the_rate_limit_answers_429_with_retry_after(client, header, settings):
    settings.API_RATE_PER_TOKEN = "2/m"
    for _ in range(2):
        assert client.get(reverse("api:users"), HTTP_AUTHORIZATION=header).status_code == 200
    response = client.get(reverse("api:users"), HTTP_AUTHORIZATION=header)
    _shape(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60
    other = token_for(UserFactory(username="someone-else"))
    assert client.get(reverse("api:users"), HTTP_AUTHORIZATION=other).status_code == 200, "per token"


def test_the_500_handler_answers_json_under_api():
    response = server_error(RequestFactory().get("/api/v1/clients/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["type"] == "server_error"
    page = server_error(RequestFactory().get("/clients/"))
    assert page["Content-Type"].startswith("text/html")


def test_a_bad_filter_value_names_its_parameter(client, header):
    response = client.get(reverse("api:conversations"), {"owner": "²", "status": "nope"}, HTTP_AUTHORIZATION=header)
    body = _shape(response, 400, "invalid")
    assert {e["attr"] for e in body["errors"]} == {"owner", "status"}
