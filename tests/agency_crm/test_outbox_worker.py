"""A real Celery worker (subprocess, Redis broker) delivers outbox rows to a real SMTP server."""

import pytest
from django.db import transaction

from agency_crm.outbox import OutboundEmail, outbox_enqueue
from tests.conftest import wait_until

pytestmark = pytest.mark.integration


def enqueue_reply():
    # The action's transaction: delivery is queued when it commits.
    with transaction.atomic():
        return outbox_enqueue(
            to=["jiwoo@customer.example"],
            subject="Re: 견적 문의",
            template="message",
            context={"body": "견적서를 보내드립니다."},
            kind="reply",
            language="ko",
        )


def test_a_worker_delivers_an_enqueued_email_over_smtp(celery_processes, smtp_server):
    worker = celery_processes("worker", **smtp_server.env())
    email = enqueue_reply()

    wait_until(lambda: smtp_server.messages, timeout=30, message="the SMTP server receiving the email")
    wait_until(
        lambda: OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENT).exists(),
        timeout=30,
        message="the email marked sent",
    )
    [(_envelope, message)] = smtp_server.messages
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == "Re: 견적 문의"
    assert "agency_crm.outbox.tasks.deliver_email" in worker.output()


def test_a_worker_retries_with_backoff_until_smtp_comes_back(celery_processes, smtp_server):
    smtp_server.stop()
    celery_processes("worker", OUTBOX_RETRY_BASE_SECONDS=2, **smtp_server.env())
    email = enqueue_reply()

    wait_until(
        lambda: OutboundEmail.objects.filter(pk=email.pk, attempts__gte=1, status="pending").exists(),
        timeout=30,
        message="a first attempt failing while SMTP is down",
    )
    smtp_server.start()
    wait_until(
        lambda: OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENT).exists(),
        timeout=60,
        message="the retried email marked sent",
    )
    assert len(smtp_server.messages) == 1
