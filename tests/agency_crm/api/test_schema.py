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


@pytest.mark.django_db
def test_odd_languages_and_versions_reuse_the_schemas_made_once_per_language(client):
    """Making the schema takes a second or more: a `lang` or `version` of the reader's choosing
    must not make (and keep) a new one each time, which anyone signed in could repeat at will."""
    from agency_crm.api.schema import CachedSchemaView

    client.force_login(UserFactory(username="reader"))
    for params in ({}, {"lang": "ko"}, {"lang": "en"}):
        assert client.get(reverse("api:schema"), params).status_code == 200
    made = dict(CachedSchemaView._made)
    assert len(made) <= len(settings.LANGUAGES)
    for odd in ("xx", "ko-KR", "<script>", "9", "v2"):
        response = client.get(reverse("api:schema"), {"lang": odd, "version": odd})
        assert response.status_code == 200
    assert CachedSchemaView._made.keys() == made.keys()
