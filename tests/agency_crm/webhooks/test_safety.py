"""Webhook URLs may reach public addresses only: checked at save and again before every request
(DNS rebinding), and the request goes to the address that was checked."""

import socket

import pytest
from django.core.exceptions import ValidationError

from agency_crm.webhooks import services, webhook_event_emit
from agency_crm.webhooks.models import WebhookAttempt, WebhookDelivery
from agency_crm.webhooks.safety import UnsafeURLError, url_check, url_resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",  # a host name that resolves to 127.0.0.1
        "http://2130706433/hook",  # 127.0.0.1 written as one number
        "http://0x7f.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.9/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata address
        "http://[fd00:ec2::254]/",  # and its IPv6 form
        "http://100.100.100.200/",  # shared address space (another metadata service)
        "http://[fe80::1]/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_loopback_private_link_local_and_metadata_addresses_are_refused(url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURLError):
        url_check(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.216.34/hook",
        "file:///etc/passwd",
        "http://user:secret@93.184.216.34/",
        "https:///nohost",
        "http://[::1",
    ],
)
def test_other_schemes_credentials_and_broken_urls_are_refused(url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    with pytest.raises(UnsafeURLError):
        url_check(url)


def test_a_public_address_is_accepted(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    assert url_resolve("https://93.184.216.34:8443/hook") == ("93.184.216.34", 8443, ["93.184.216.34"])


def test_a_name_that_does_not_resolve_is_refused(settings):
    with pytest.raises(UnsafeURLError, match="could not be resolved"):
        url_check("https://no-such-host.invalid/hook")


def test_the_setting_allows_loopback_for_development(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    url_check("http://localhost:8000/hook")


@pytest.mark.django_db
def test_saving_an_endpoint_with_a_private_url_is_refused(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError) as error:
        services.endpoint_create(actor=None, url="http://localhost/hook", events=["client.created"])
    assert "url" in error.value.message_dict


@pytest.mark.django_db
def test_a_name_that_resolves_to_loopback_at_delivery_time_is_not_called(settings, receiver_factory, monkeypatch):
    """DNS rebinding: public when saved, 127.0.0.1 when the event goes out."""
    receiver = receiver_factory()
    real_getaddrinfo = socket.getaddrinfo
    answers = {"hooks.customer.example": "93.184.216.34"}

    def resolver(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    endpoint, _secret = services.endpoint_create(
        actor=None, url=f"http://hooks.customer.example:{receiver.port}/hook", events=["client.created"]
    )
    answers["hooks.customer.example"] = "127.0.0.1"
    webhook_event_emit(event_type="client.created", data={"id": 1})

    assert services.webhook_endpoint_deliver(endpoint_id=endpoint.pk)[0] == 1
    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "127.0.0.1" in attempt.error
    # Refused like a network error: retried, so a name that comes back to a public address works.
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING


@pytest.mark.django_db
def test_the_request_goes_to_the_checked_address_with_the_host_named(settings, receiver_factory, monkeypatch):
    """httpx is never asked to resolve the name again: it connects to the address we checked."""
    receiver = receiver_factory()
    real_getaddrinfo = socket.getaddrinfo
    looked_up = []

    def resolver(host, port, *args, **kwargs):
        looked_up.append(host)
        if host == "receiver.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    endpoint, _secret = services.endpoint_create(
        actor=None, url=f"http://receiver.test:{receiver.port}/hook", events=["client.created"]
    )
    webhook_event_emit(event_type="client.created", data={"id": 1})
    looked_up.clear()
    services.webhook_endpoint_deliver(endpoint_id=endpoint.pk)
    [request] = receiver.requests
    assert request["headers"]["host"] == f"receiver.test:{receiver.port}"
    assert looked_up.count("receiver.test") == 1
