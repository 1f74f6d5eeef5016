"""The OpenAPI schema: generated without a warning, valid OpenAPI 3, and the same as the committed
docs/openapi.yaml (regenerate it with `make openapi`). The docs page serves Swagger UI from our
own static files, under our Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def test_the_schema_has_no_warnings_and_matches_docs_openapi_yaml(tmp_path, db):
    generated = tmp_path / "openapi.yaml"
    # --fail-on-warn raises on any warning or error of the generation.
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), "docs/openapi.yaml is stale: run `make openapi`"


def test_the_schema_documents_the_error_shape_and_the_token(client, db):
    client.force_login(UserFactory(username="reader"))
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
    assert {"Error401", "Error429", "ClientsCreateValidationError"} <= set(schema["components"]["schemas"])
    assert "429" in schema["paths"]["/api/v1/clients/"]["get"]["responses"]


@pytest.mark.django_db
def test_the_docs_page_uses_our_static_files_only(client):
    client.force_login(UserFactory(username="reader"))
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style>" not in html and "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


@pytest.mark.django_db
def test_the_docs_and_schema_are_for_signed_in_people(client):
    for name in ("api:docs", "api:schema"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
