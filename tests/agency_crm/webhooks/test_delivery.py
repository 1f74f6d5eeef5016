"""Delivering webhooks to a real receiver on loopback: signatures, retries, final answers, the
give-up after three days, order, at most one request in flight, rotation and Redeliver."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from standardwebhooks import Webhook

from agency_crm.webhooks import services, webhook_event_emit
from agency_crm.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from followups.reminders.models import Notification
from tests.factories import ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
Status = WebhookDelivery.Status


def endpoint_for(receiver, *, actor=None, events=("client.created", "client.updated")):
    endpoint, secret = services.endpoint_create(actor=actor, url=receiver.url, events=list(events))
    receiver.secrets.append(secret)
    return endpoint


def emit(event_type="client.created", **data):
    return webhook_event_emit(event_type=event_type, data={"id": 7, "name": "Hanbit", **data})


def deliver(endpoint):
    return services.webhook_endpoint_deliver(endpoint_id=endpoint.pk)


def test_an_event_with_no_endpoint_wanting_it_writes_nothing(allow_loopback, receiver_factory):
    endpoint_for(receiver_factory(), events=["inquiry.created"])
    assert emit("client.created") is None
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_delivery_row_belongs_to_the_transaction_of_the_change(allow_loopback, receiver_factory):
    endpoint = endpoint_for(receiver_factory())
    with pytest.raises(RuntimeError), transaction.atomic():
        emit()
        assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
        raise RuntimeError("the change fails")
    assert not WebhookDelivery.objects.exists()


def test_the_delivery_is_queued_only_after_the_commit(
    allow_loopback, receiver_factory, django_capture_on_commit_callbacks
):
    endpoint_for(receiver_factory())
    with django_capture_on_commit_callbacks() as callbacks:
        emit()
    assert len(callbacks) == 1


def test_a_delivery_is_signed_the_standard_webhooks_way(allow_loopback, receiver_factory):
    receiver = receiver_factory()
    endpoint = endpoint_for(receiver)
    event = emit(name="한빛 소프트")

    assert deliver(endpoint) == (1, None)

    [request] = receiver.requests
    headers = request["headers"]
    payload = Webhook(receiver.secrets[0]).verify(request["body"], headers)
    assert payload == {
        "id": event.public_id,
        "type": "client.created",
        "created_at": event.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "api_version": event.api_version,
        "data": {"id": 7, "name": "한빛 소프트"},
    }
    assert headers["webhook-id"] == event.public_id
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["content-type"] == "application/json"
    assert WebhookDelivery.objects.get().status == Status.DELIVERED
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.response_excerpt) == (200, "thanks")
    assert attempt.request_headers["webhook-id"] == event.public_id


def test_a_signature_with_the_wrong_secret_does_not_verify(allow_loopback, receiver_factory):
    receiver = receiver_factory()
    endpoint = endpoint_for(receiver)
    receiver.secrets[:] = [services.endpoints.secret_new()]
    emit()
    deliver(endpoint)
    assert receiver.requests[0]["verified_with"] == []


def test_failures_are_retried_on_the_schedule_with_one_webhook_id_then_give_up_after_three_days(
    allow_loopback, receiver_factory
):
    boss = ManagerFactory(username="boss")
    creator = UserFactory(username="integrator")
    receiver = receiver_factory(default=503)
    endpoint = endpoint_for(receiver, actor=creator)
    with time_machine.travel(T0, tick=False) as clock:
        emit()
        delivery = WebhookDelivery.objects.get()
        waits = []
        for _ in range(20):
            done, again_in = deliver(endpoint)
            assert done == 1
            delivery.refresh_from_db()
            if delivery.status != Status.PENDING:
                break
            waits.append(round(again_in))
            clock.move_to(delivery.next_attempt_at)
        # 0, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, then 24 h until the deadline at 72 h.
        assert waits == [60, 300, 1800, 7200, 21600, 43200, 86400, 86400, 3 * 86400 - 246960]
        assert delivery.status == Status.FAILED
        assert delivery.attempts == 10
        assert len(set(receiver.ids())) == 1
        assert len(receiver.requests) == 10
        endpoint.refresh_from_db()
        assert not endpoint.is_active
        assert endpoint.disabled_at == T0 + dt.timedelta(days=3)
        assert "10 attempts over 72.0 hours" in endpoint.disabled_reason
    told = Notification.objects.filter(kind="webhook.disabled")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["boss", "integrator"]
    assert all(str(endpoint.pk) in n.url for n in told)
    assert boss.pk in told.values_list("recipient_id", flat=True)

    # Off means off: a new event is not even recorded for it, and the line stays put.
    assert emit() is None
    assert deliver(endpoint) == (0, None)


@pytest.mark.parametrize("code", [408, 429, 500, 502])
def test_timeouts_rate_limits_and_server_errors_are_retried(allow_loopback, receiver_factory, code):
    receiver = receiver_factory([code])
    endpoint = endpoint_for(receiver)
    with time_machine.travel(T0, tick=False) as clock:
        emit()
        assert deliver(endpoint) == (1, 60.0)
        clock.shift(60)
        assert deliver(endpoint) == (1, None)
    assert WebhookDelivery.objects.get().status == Status.DELIVERED
    assert len(set(receiver.ids())) == 1 and len(receiver.requests) == 2


@pytest.mark.parametrize("code", [400, 401, 404, 422, 302])
def test_other_client_errors_and_redirects_are_final_and_the_line_moves_on(allow_loopback, receiver_factory, code):
    receiver = receiver_factory([code], headers={"location": "http://127.0.0.1:1/elsewhere"})
    endpoint = endpoint_for(receiver)
    first, second = emit(), emit("client.updated")
    assert deliver(endpoint) == (2, None)
    assert receiver.ids() == [first.public_id, second.public_id]
    assert WebhookDelivery.objects.get(event=first).status == Status.FAILED
    assert WebhookDelivery.objects.get(event=first).last_status_code == code
    assert WebhookDelivery.objects.get(event=second).status == Status.DELIVERED
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_410_gone_disables_the_endpoint_and_tells_the_managers(allow_loopback, receiver_factory):
    ManagerFactory(username="boss")
    receiver = receiver_factory([410])
    endpoint = endpoint_for(receiver)
    emit(), emit()
    assert deliver(endpoint) == (1, None)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    assert len(receiver.requests) == 1
    assert Notification.objects.filter(kind="webhook.disabled", recipient__username="boss").count() == 1

    # Turned on again, the waiting event goes out.
    services.endpoint_enable(endpoint=endpoint)
    assert deliver(endpoint) == (1, None)
    assert len(receiver.requests) == 2


def test_deliveries_to_one_endpoint_go_in_the_order_of_their_events(allow_loopback, receiver_factory):
    receiver = receiver_factory([500])
    endpoint = endpoint_for(receiver)
    with time_machine.travel(T0, tick=False) as clock:
        first, second, third = emit(), emit("client.updated"), emit()
        # The first fails: nothing behind it goes out before it.
        assert deliver(endpoint) == (1, 60.0)
        assert deliver(endpoint) == (0, None)
        clock.shift(60)
        assert deliver(endpoint) == (3, None)
    assert receiver.ids() == [first.public_id, first.public_id, second.public_id, third.public_id]


def test_a_claimed_delivery_is_not_sent_twice_and_a_dead_workers_claim_comes_back(allow_loopback, receiver_factory):
    receiver = receiver_factory()
    endpoint = endpoint_for(receiver)
    with time_machine.travel(T0, tick=False) as clock:
        emit(), emit()
        claimed = services.delivery_claim_next(endpoint_id=endpoint.pk)
        assert claimed.status == Status.SENDING
        # Another worker finds the head in flight and sends nothing, not even the next event.
        assert services.delivery_claim_next(endpoint_id=endpoint.pk) is None
        assert services.webhooks_release_stale_claims() == 0
        clock.shift(301)
        assert services.webhooks_release_stale_claims() == 1
        assert services.webhooks_due_endpoint_ids() == [endpoint.pk]
        assert deliver(endpoint) == (2, None)
        # The worker that died comes back late: its outcome does not overwrite the new one.
        services.delivery_attempt(delivery=claimed)
    assert WebhookDelivery.objects.filter(status=Status.DELIVERED).count() == 2


def test_during_a_rotation_both_secrets_sign_until_the_grace_period_ends(allow_loopback, receiver_factory):
    receiver = receiver_factory()
    endpoint = endpoint_for(receiver)
    old = receiver.secrets[0]
    with time_machine.travel(T0, tick=False) as clock:
        new = services.endpoint_rotate_secret(endpoint=endpoint)
        assert new.startswith("whsec_") and new != old
        receiver.secrets.append(new)
        emit()
        deliver(endpoint)
        assert len(receiver.requests[0]["headers"]["webhook-signature"].split(" ")) == 2
        assert receiver.requests[0]["verified_with"] == [old, new]
        clock.shift(24 * 3600 + 1)
        emit()
        deliver(endpoint)
        assert receiver.requests[1]["verified_with"] == [new]


def test_redeliver_sends_the_same_webhook_id_again(allow_loopback, receiver_factory):
    receiver = receiver_factory([404])
    endpoint = endpoint_for(receiver)
    event = emit()
    deliver(endpoint)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert services.delivery_redeliver(delivery=delivery)
    assert not services.delivery_redeliver(delivery=delivery)
    deliver(endpoint)
    assert receiver.ids() == [event.public_id, event.public_id]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.attempt_log.count()) == (Status.DELIVERED, 1, 2)


def test_a_ping_goes_to_its_endpoint_alone(allow_loopback, receiver_factory):
    pinged, other = receiver_factory(), receiver_factory()
    endpoint = endpoint_for(pinged)
    endpoint_for(other)
    event = services.endpoint_ping(endpoint=endpoint)
    assert event.type == "ping"
    assert list(WebhookDelivery.objects.values_list("endpoint_id", flat=True)) == [endpoint.pk]
    deliver(endpoint)
    assert pinged.types() == ["ping"]


def test_the_answer_is_read_up_to_the_cap(allow_loopback, receiver_factory, settings):
    settings.WEBHOOKS_RESPONSE_MAX_BYTES = 1000
    receiver = receiver_factory(body=b"x" * 5_000_000)
    endpoint = endpoint_for(receiver)
    emit()
    assert deliver(endpoint) == (1, None)
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 200
    assert len(attempt.response_excerpt) == 1000


def test_a_receiver_slower_than_the_timeout_counts_as_a_network_error(allow_loopback, receiver_factory, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.3
    receiver = receiver_factory(delay=1.0)
    endpoint = endpoint_for(receiver)
    emit()
    done, again_in = deliver(endpoint)
    assert (done, again_in) == (1, pytest.approx(60, abs=2))
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "Timeout" in attempt.error
    assert attempt.duration_ms < 900


def test_a_receiver_that_is_not_listening_is_retried(allow_loopback, receiver_factory):
    receiver = receiver_factory()
    endpoint = endpoint_for(receiver)
    receiver.stop()
    emit()
    assert deliver(endpoint)[1] == pytest.approx(60, abs=2)
    assert "could not connect" in WebhookDelivery.objects.get().last_error


def test_removing_an_endpoint_removes_its_log(allow_loopback, receiver_factory):
    endpoint = endpoint_for(receiver_factory())
    emit()
    services.endpoint_delete(endpoint=endpoint)
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookEvent.objects.exists()
