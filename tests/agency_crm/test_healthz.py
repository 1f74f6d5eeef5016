import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_CONNECTION_TIMEOUT=1)
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


@pytest.mark.django_db
def test_healthz_reports_when_a_worker_last_ran(client):
    from agency_crm.services import heartbeat_record

    assert client.get("/healthz").json()["worker_last_seen_seconds"] is None
    heartbeat_record(name="default")
    assert client.get("/healthz").json()["worker_last_seen_seconds"] == 0
