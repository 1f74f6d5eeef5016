"""Through a real Celery worker on Redis, to real receivers on loopback that check signatures with
the standardwebhooks package: one that answers 500 twice and then 200 gets each event in order,
the first three times with one webhook-id; one that stays down past the give-up time is turned
off and its owner and the managers are told."""

import pytest

from agency_crm.webhooks import services
from agency_crm.webhooks.models import WebhookDelivery, WebhookEndpoint
from clients.services import client_create, client_update
from followups.reminders.models import Notification
from tests.conftest import wait_until
from tests.factories import ManagerFactory, UserFactory

pytestmark = pytest.mark.integration


def test_a_worker_retries_through_500s_in_order_and_gives_up_on_a_receiver_that_stays_down(
    celery_processes, receiver_factory, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    boss = ManagerFactory(username="boss")
    integrator = UserFactory(username="integrator")
    flaky = receiver_factory([500, 500], default=200)
    down = receiver_factory(default=503)
    flaky_endpoint, flaky_secret = services.endpoint_create(
        actor=integrator, url=flaky.url, events=["client.created", "client.updated"]
    )
    down_endpoint, down_secret = services.endpoint_create(actor=integrator, url=down.url, events=["client.created"])
    flaky.secrets.append(flaky_secret)
    down.secrets.append(down_secret)
    # Retries a second apart, and a give-up after six seconds instead of three days.
    worker = celery_processes(
        "worker", WEBHOOKS_ALLOW_PRIVATE_URLS="true", WEBHOOKS_RETRY_SCHEDULE="0,1", WEBHOOKS_GIVE_UP_AFTER="6"
    )

    client = client_create(actor=boss, name="Hanbit Soft", account_owner=boss)
    client_update(client=client, actor=boss, changes={"website": "https://hanbit.example"})

    wait_until(lambda: len(flaky.requests) >= 4, timeout=60, message="the flaky receiver answering 200 at last")
    created_id = flaky.requests[0]["headers"]["webhook-id"]
    assert flaky.types() == ["client.created"] * 3 + ["client.updated"]
    assert flaky.ids()[:3] == [created_id] * 3
    assert flaky.ids()[3] != created_id
    assert all(request["verified_with"] == [flaky_secret] for request in flaky.requests)
    updated = flaky.requests[3]["json"]
    assert updated["data"]["id"] == client.pk
    assert updated["data"]["website"] == "https://hanbit.example"
    assert updated["data"]["changed_fields"] == ["website"]
    wait_until(
        lambda: WebhookDelivery.objects.filter(endpoint=flaky_endpoint, status="delivered").count() == 2,
        message="both deliveries marked delivered",
    )

    wait_until(
        lambda: not WebhookEndpoint.objects.get(pk=down_endpoint.pk).is_active,
        timeout=60,
        message="the endpoint that stays down turned off",
    )
    assert len(down.requests) >= 3
    assert set(down.ids()) == {created_id}
    assert all(request["verified_with"] == [down_secret] for request in down.requests)
    assert WebhookDelivery.objects.get(endpoint=down_endpoint).status == "failed"
    told = Notification.objects.filter(kind="webhook.disabled")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["boss", "integrator"]
    assert "agency_crm.webhooks.tasks.webhooks_deliver" in worker.output()
    # The healthy endpoint kept working.
    assert WebhookEndpoint.objects.get(pk=flaky_endpoint.pk).is_active
