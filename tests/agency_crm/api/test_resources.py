"""Every GET endpoint of the API as staff and as a manager (200, JSON), and refused to a token
without its scope (403), an expired token, a revoked token and a deactivated person's token
(401), each in the one JSON error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency_crm.api.models import PersonalToken
from agency_crm.api.scopes import SCOPES
from tests.agency_crm.api.support import READS, build_api_world, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_api_world()


def _paths(w):
    return [(name, scope, reverse(name, kwargs=kwargs(w))) for name, scope, kwargs in READS]


def _error_codes(response) -> list[str]:
    body = response.json()
    assert set(body) == {"type", "errors"}
    return [error["code"] for error in body["errors"]]


def test_every_read_endpoint_is_in_the_table():
    from tests.world import routes

    gets = {route.name for route in routes() if route.name.startswith("api:")}
    writes_only = {"api:message_log", "api:conversation_customer_message", "api:conversation_reply",
                   "api:inquiry_send_proposal", "api:inquiry_mark_delivered", "api:schema", "api:docs"}  # fmt: skip
    assert gets - writes_only == {name for name, _scope, _kwargs in READS}


@pytest.mark.parametrize("persona", ["staff", "manager"])
def test_staff_and_managers_read_every_resource(client, w, persona):
    header = token_for(getattr(w, persona))
    for name, _scope, path in _paths(w):
        response = client.get(path, HTTP_AUTHORIZATION=header)
        assert response.status_code == 200, (name, response.content[:300])
        assert response["Content-Type"] == "application/json"
        body = response.json()
        if "results" in body:
            assert body["results"], f"{name} listed nothing"
            assert set(body) == {"next", "previous", "results"}


def test_a_token_without_the_scope_gets_403_on_every_resource(client, w):
    for name, scope, path in _paths(w):
        others = [s for s in SCOPES if s != scope]
        response = client.get(path, HTTP_AUTHORIZATION=token_for(w.staff, others))
        assert response.status_code == 403, name
        assert _error_codes(response) == ["permission_denied"]
        assert scope in response.json()["errors"][0]["detail"]


def test_a_write_scope_does_not_read(client, w):
    response = client.get(reverse("api:clients"), HTTP_AUTHORIZATION=token_for(w.staff, ["clients:write"]))
    assert response.status_code == 403


@pytest.mark.parametrize("case", ["expired", "revoked", "deactivated", "unknown", "none"])
def test_a_dead_token_gets_401_on_every_resource(client, w, case):
    header = token_for(w.staff)
    if case == "expired":
        PersonalToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    elif case == "revoked":
        PersonalToken.objects.all().delete()
    elif case == "deactivated":
        w.staff.is_active = False
        w.staff.save()
    elif case == "unknown":
        header = header[:-4] + "0000"
    headers = {} if case == "none" else {"HTTP_AUTHORIZATION": header}
    for name, _scope, path in _paths(w):
        response = client.get(path, **headers)
        assert response.status_code == 401, (name, case)
        assert response["WWW-Authenticate"] == "Token"
        assert _error_codes(response) == ["not_authenticated" if case == "none" else "authentication_failed"]
    if case == "expired":
        assert PersonalToken.objects.count() == 1, "an expired token stays listed on the tokens page"


def test_a_deactivated_persons_token_stops_at_once(client, w):
    header = token_for(w.staff)
    assert client.get(reverse("api:clients"), HTTP_AUTHORIZATION=header).status_code == 200
    w.staff.is_active = False
    w.staff.save(update_fields=["is_active"])
    assert client.get(reverse("api:clients"), HTTP_AUTHORIZATION=header).status_code == 401


def test_the_signed_in_session_opens_the_browsable_api_but_not_json(client, w):
    client.force_login(w.staff)
    assert client.get(reverse("api:clients")).status_code == 401
    page = client.get(reverse("api:clients"), HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Blue Harbor" in page.content.decode()


def test_a_token_records_when_and_from_where_it_was_last_used(client, w):
    header = token_for(w.staff)
    client.get(reverse("api:clients"), HTTP_AUTHORIZATION=header, REMOTE_ADDR="203.0.113.9")
    token = PersonalToken.objects.get()
    assert token.last_used_ip == "203.0.113.9"
    assert timezone.now() - token.last_used_at < dt.timedelta(seconds=5)
    assert token.digest not in header and len(token.digest) == 128, "only the SHA-512 digest is kept"
