"""/my/ answers a known and an unknown address the same way, in the same time: the request only
queues the work (a Celery task, after the commit) and the task looks the address up and sends."""

import uuid

import pytest

from agency_crm.outbox import OutboundEmail
from followups.portal.tasks import portal_link_request_task
from tests.conftest import wait_until
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def visitor_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def ask(client, email, django_assert_num_queries, django_capture_on_commit_callbacks):
    # One query, the same for every address: the agency's stored name for the page's heading.
    with django_capture_on_commit_callbacks(execute=False) as callbacks, django_assert_num_queries(1):
        response = client.post("/my/", {"email": email}, REMOTE_ADDR=visitor_ip())
    assert response.status_code == 200
    return callbacks


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    hana = ContactFactory(client=ClientFactory(), email=f"hana.{uuid.uuid4().hex[:6]}@blue.example")
    known = ask(client, hana.email.upper(), django_assert_num_queries, django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@else.example", django_assert_num_queries, django_capture_on_commit_callbacks)
    assert len(known) == len(unknown) == 1  # one task queued after the commit, either way
    assert not OutboundEmail.objects.exists()  # nothing sent inside the request
    assert portal_link_request_task(email=hana.email.upper()) == 1
    assert portal_link_request_task(email="nobody@else.example") == 0
    (link,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SELF_SERVICE_LINK)
    assert link.to == [hana.email]


def test_a_worker_sends_the_link(celery_processes, transactional_db, client):
    hana = ContactFactory(client=ClientFactory(), email=f"hana.{uuid.uuid4().hex[:6]}@blue.example")
    celery_processes("worker")
    client.post("/my/", {"email": hana.email}, REMOTE_ADDR=visitor_ip())
    wait_until(lambda: OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SELF_SERVICE_LINK).exists())
    assert OutboundEmail.objects.get(kind=OutboundEmail.Kind.SELF_SERVICE_LINK).to == [hana.email]
