"""/settings/webhooks/ (managers): add an endpoint and see its secret once, change it, rotate,
ping, the delivery log, Redeliver, turn on again, remove; refused input comes back as a 400."""

import pytest
from django.urls import reverse

from agency_crm.webhooks import services
from agency_crm.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.216.34/hooks"


@pytest.fixture
def endpoint(manager):
    endpoint, _secret = services.endpoint_create(actor=manager, url=PUBLIC_URL, events=["client.created"])
    return endpoint


def test_staff_who_are_not_managers_get_403_and_visitors_the_login(client, owner_client, endpoint):
    for name, kwargs in [("webhooks:list", {}), ("webhooks:create", {}), ("webhooks:detail", {"pk": endpoint.pk})]:
        assert owner_client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert owner_client.post(reverse("webhooks:rotate", args=[endpoint.pk])).status_code == 403
    owner_client.logout()
    assert client.get(reverse("webhooks:list")).status_code == 302


def test_a_new_endpoints_secret_is_shown_once(manager_client, manager):
    response = manager_client.post(
        reverse("webhooks:create"),
        {"url": PUBLIC_URL, "description": "Billing", "events": ["client.created", "message.received"]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.events, endpoint.created_by) == (
        PUBLIC_URL,
        ["client.created", "message.received"],
        manager,
    )
    assert secret not in endpoint.secret_sealed
    for page in (reverse("webhooks:list"), reverse("webhooks:detail", args=[endpoint.pk])):
        assert secret not in manager_client.get(page).content.decode()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"url": "http://localhost/hooks", "events": ["client.created"]}, "url"),
        ({"url": "http://169.254.169.254/latest/", "events": ["client.created"]}, "url"),
        ({"url": "ftp://93.184.216.34/", "events": ["client.created"]}, "url"),
        ({"url": PUBLIC_URL, "events": []}, "events"),
        ({"url": PUBLIC_URL, "events": ["ping"]}, "events"),
        ({"url": PUBLIC_URL, "events": ["no.such.event"]}, "events"),
        ({"url": "x" * 600, "events": ["client.created"]}, "url"),
    ],
)
def test_refused_input_comes_back_with_the_reason(manager_client, settings, data, field):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = manager_client.post(reverse("webhooks:create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not WebhookEndpoint.objects.exists()


def test_changing_an_endpoint(manager_client, endpoint):
    response = manager_client.post(
        reverse("webhooks:edit", args=[endpoint.pk]), {"url": PUBLIC_URL + "/v2", "events": ["inquiry.created"]}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == (PUBLIC_URL + "/v2", ["inquiry.created"])
    bad = manager_client.post(reverse("webhooks:edit", args=[endpoint.pk]), {"url": "http://127.0.0.1/", "events": []})
    assert bad.status_code == 400


def test_rotating_shows_the_new_secret_once_and_keeps_the_old_one_for_the_grace_period(manager_client, endpoint):
    old_sealed = endpoint.secret_sealed
    response = manager_client.post(reverse("webhooks:rotate", args=[endpoint.pk]))
    assert response.status_code == 200 and response.context["rotated"]
    assert response.context["secret"].startswith("whsec_")
    endpoint.refresh_from_db()
    assert endpoint.previous_secret_sealed == old_sealed
    assert len(services.endpoint_secrets(endpoint)) == 2


def test_send_ping_redeliver_enable_and_remove(manager_client, endpoint):
    response = manager_client.post(reverse("webhooks:ping", args=[endpoint.pk]))
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event__type="ping")

    # Still on its way: nothing to redeliver.
    manager_client.post(reverse("webhooks:redeliver", args=[endpoint.pk, delivery.pk]))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=3)
    manager_client.post(reverse("webhooks:redeliver", args=[endpoint.pk, delivery.pk]))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    services.endpoint_disable(endpoint=endpoint, reason="test")
    page = manager_client.get(reverse("webhooks:detail", args=[endpoint.pk]))
    assert b'id="webhook-disabled"' in page.content
    manager_client.post(reverse("webhooks:ping", args=[endpoint.pk]))
    assert WebhookEvent.objects.filter(type="ping").count() == 1
    manager_client.post(reverse("webhooks:enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_reason == ""

    assert manager_client.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 302
    assert not WebhookEndpoint.objects.exists()


def test_a_delivery_of_another_endpoint_is_404(manager_client, endpoint, manager):
    other, _secret = services.endpoint_create(actor=manager, url=PUBLIC_URL + "/b", events=["client.created"])
    delivery = services.endpoint_ping(endpoint=other).deliveries.get()
    assert manager_client.get(reverse("webhooks:delivery", args=[endpoint.pk, delivery.pk])).status_code == 404
    assert manager_client.post(reverse("webhooks:redeliver", args=[endpoint.pk, delivery.pk])).status_code == 404


def test_customer_text_in_the_log_is_escaped(manager_client, endpoint):
    from agency_crm.webhooks import webhook_event_emit

    webhook_event_emit(event_type="client.created", data={"name": "<script>alert(1)</script>"})
    delivery = WebhookDelivery.objects.get()
    delivery.attempt_log.create(request_headers={"x": "<b>"}, request_body="<script>", response_excerpt="<img src=x>")
    page = manager_client.get(reverse("webhooks:delivery", args=[endpoint.pk, delivery.pk])).content.decode()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x>" not in page


def test_the_pages_take_a_constant_number_of_queries(manager_client, manager, endpoint, django_assert_num_queries):
    for n in range(3):
        other, _secret = services.endpoint_create(actor=manager, url=f"{PUBLIC_URL}/{n}", events=["client.created"])
        services.endpoint_ping(endpoint=other)
    for _ in range(5):
        services.endpoint_ping(endpoint=endpoint)
    manager_client.get(reverse("webhooks:list"))  # warm the session and the permission cache
    # session, user, the user's and the groups' permissions; the endpoints with their counts.
    with django_assert_num_queries(5):
        assert manager_client.get(reverse("webhooks:list")).status_code == 200
    # session, user, the two permission reads; the endpoint with its creator, the log's count,
    # one page of deliveries with their events.
    with django_assert_num_queries(7):
        assert manager_client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 200
