"""The API's docs page in Chromium under our Content-Security-Policy: Swagger UI from the
sidecar's static files draws the schema, with no violation and no script error, and the
browsable API page of a list opens with the session, without a violation either."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.test_content_security_policy import Watch
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_draws_the_schema_under_the_policy(live_server, page, login, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reader = UserFactory(username="reader")
    # The schema is made once per process (agency_crm.api.schema): the live server runs in this
    # one, so Swagger UI gets it at once, as it does on a server that has shown it before.
    warm = Client()
    warm.force_login(reader)
    assert warm.get("/api/v1/schema/").status_code == 200
    watch = Watch(page)
    login("reader", PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".swagger-ui .info .title").filter(has_text="Gonggam API").wait_for(timeout=8000)
    assert page.locator(".opblock-tag", has_text="clients").count() >= 1
    watch.settle()
    assert watch.take() == []
    page.goto(f"{live_server.url}/api/v1/clients/?format=api")
    assert page.locator("h1").first.inner_text() != ""
    watch.settle()
    assert watch.take() == []
