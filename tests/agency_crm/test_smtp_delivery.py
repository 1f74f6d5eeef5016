"""Delivery over a real SMTP server on loopback (aiosmtpd): headers, both parts, Korean text,
retries with backoff, the sweep, permanent failures and claiming."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.outbox import services as outbox
from agency_crm.outbox.tasks import deliver_email, sweep_outbox
from clients.models import TimelineEvent
from tests.concurrency import run_at_once
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


def reply(**overrides):
    kwargs = {
        "to": ["jiwoo@customer.example"],
        "subject": "Re: 로그인 문제",
        "template": "message",
        "context": {"body": "안녕하세요 지우님,\n문제를 해결했습니다."},
        "kind": "reply",
        "language": "ko",
        "reply_to": "support@agency.example",
        "in_reply_to": "<c2@customer.example>",
        "references": ["<c1@customer.example>"],
    }
    kwargs.update(overrides)
    return outbox_enqueue(**kwargs)


def test_a_reply_arrives_with_its_headers_both_parts_and_korean_text(smtp_server):
    email = reply()

    assert outbox.outbox_deliver(email_id=email.pk) == ("sent", None)

    [(envelope, message)] = smtp_server.messages
    assert envelope.rcpt_tos == ["jiwoo@customer.example"]
    assert message["Message-ID"] == email.message_id
    assert message["In-Reply-To"] == "<c2@customer.example>"
    assert message["References"] == "<c1@customer.example> <c2@customer.example>"
    assert message["Reply-To"] == "support@agency.example"
    assert message["Subject"] == "Re: 로그인 문제"
    assert message["Auto-Submitted"] is None
    assert message.get_content_type() == "multipart/alternative"
    # The wire format has CRLF line ends.
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
    assert text.startswith("안녕하세요 지우님,\n문제를 해결했습니다.\n")
    assert "<p>안녕하세요 지우님,<br>문제를 해결했습니다.</p>" in html
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_automatic_mail_arrives_marked_auto_submitted_with_list_unsubscribe(smtp_server):
    email = reply(kind="checkin", automatic=True, unsubscribe_url="https://crm.example/u/1", in_reply_to=None)
    outbox.outbox_deliver(email_id=email.pk)
    [(_envelope, message)] = smtp_server.messages
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] == "<https://crm.example/u/1>"
    assert message["In-Reply-To"] is None


def test_a_sent_email_is_never_sent_again(smtp_server):
    email = reply()
    outbox.outbox_deliver(email_id=email.pk)
    assert deliver_email(email.pk) == "skipped"
    assert sweep_outbox() == 0
    assert len(smtp_server.messages) == 1


def test_smtp_down_then_up_delivers_exactly_once_after_the_sweep(smtp_server, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    smtp_server.stop()  # nothing listens on the port
    email = reply()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert outbox.outbox_deliver(email_id=email.pk) == ("retry", 60)
    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert email.attempts == 1
    assert email.next_attempt_at == start + timedelta(seconds=60)
    assert "Connection refused" in email.last_error or "ConnectionRefused" in email.last_error

    smtp_server.start()
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        # Not due yet: the sweep leaves it alone and a stray delivery task does nothing.
        assert outbox.outbox_due_ids() == []
        assert outbox.outbox_deliver(email_id=email.pk) == ("skipped", None)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        due = outbox.outbox_due_ids()
        assert due == [email.pk]
        # What the sweep's queued tasks do, run twice as if two sweeps had queued the row.
        assert [outbox.outbox_deliver(email_id=pk)[0] for pk in due * 2] == ["sent", "skipped"]

    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 2, "")


def test_backoff_doubles_and_gives_up_as_failed_at_the_deadline(smtp_server, settings):
    settings.OUTBOX_GIVE_UP_AFTER = 30  # the second retry (10 + 20 s) falls on it
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    smtp_server.stop()
    client = ClientFactory()
    email = reply(client=client)
    now = timezone.now()
    outcomes = []
    for _ in range(3):
        with time_machine.travel(now, tick=False):
            outcomes.append(outbox.outbox_deliver(email_id=email.pk))
        email.refresh_from_db()
        now = email.next_attempt_at
    assert outcomes == [("retry", 10), ("retry", 20), ("failed", None)]
    assert email.status == Status.FAILED
    assert "gave up after 3 attempts" in email.last_error
    assert TimelineEvent.objects.filter(client=client, kind="email.failed").count() == 1


def test_a_permanent_5xx_fails_at_once_with_the_error_and_a_timeline_event(smtp_server):
    smtp_server.reply = "550 5.1.1 Mailbox unavailable"
    client = ClientFactory()
    email = reply(client=client)

    assert outbox.outbox_deliver(email_id=email.pk) == ("failed", None)

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert "550" in email.last_error and "Mailbox unavailable" in email.last_error
    event = TimelineEvent.objects.get(client=client, kind="email.failed")
    assert "Re: 로그인 문제" in event.summary
    assert event.url == f"/outbox/{email.pk}/"
    assert event.data["outbound_email_id"] == email.pk
    assert smtp_server.messages == []


def test_a_temporary_4xx_is_retried(smtp_server):
    smtp_server.reply = "451 4.3.0 Try again later"
    email = reply()
    outcome, retry_in = outbox.outbox_deliver(email_id=email.pk)
    assert outcome == "retry" and retry_in > 0
    email.refresh_from_db()
    assert email.status == Status.PENDING
    assert "451" in email.last_error


def test_a_failed_email_retried_by_hand_is_delivered(smtp_server):
    smtp_server.reply = "550 5.7.1 Rejected"
    client = ClientFactory()
    email = reply(client=client)
    outbox.outbox_deliver(email_id=email.pk)
    smtp_server.reply = "250 OK"

    assert outbox.outbox_retry(email=email) is True
    assert outbox.outbox_retry(email=email) is False  # already pending again
    assert outbox.outbox_deliver(email_id=email.pk) == ("sent", None)
    assert len(smtp_server.messages) == 1
    assert TimelineEvent.objects.filter(client=client, kind="email.retried").count() == 1


def test_a_row_left_sending_by_a_dead_worker_is_sent_after_the_lease(smtp_server, settings):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 600
    email = reply()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.outbox_claim(email_id=email.pk) is not None  # ...and the worker dies here
    with time_machine.travel(start + timedelta(seconds=599), tick=False):
        assert outbox.outbox_release_stale_claims() == 0
        assert outbox.outbox_due_ids() == []
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        assert outbox.outbox_release_stale_claims() == 1
        assert outbox.outbox_deliver(email_id=email.pk) == ("sent", None)
    assert len(smtp_server.messages) == 1


def test_a_stale_worker_cannot_overwrite_a_newer_attempt(smtp_server):
    email = reply()
    first = outbox.outbox_claim(email_id=email.pk)
    # The lease ran out and a second attempt claimed and sent the row.
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.PENDING)
    assert outbox.outbox_deliver(email_id=email.pk) == ("sent", None)
    # The first worker wakes up with its old claim: its outcome must not apply.
    stale = OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING, attempts=first.attempts)
    assert stale.update(status=Status.FAILED) == 0
    email.refresh_from_db()
    assert email.status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliveries_of_one_row_send_one_message(smtp_server):
    email = reply()
    outcomes = [result[0] for result in run_at_once(lambda: outbox.outbox_deliver(email_id=email.pk), threads=4)]

    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(smtp_server.messages) == 1


@pytest.fixture
def eager_celery():
    """Run tasks queued by the sweep in this process (the real tasks, without a broker)."""
    from agency_crm.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_the_sweep_task_delivers_due_rows_once_even_when_run_twice(smtp_server, eager_celery):
    smtp_server.stop()
    emails = [reply(), reply(in_reply_to=None)]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [outbox.outbox_deliver(email_id=e.pk)[0] for e in emails] == ["retry", "retry"]
    smtp_server.start()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert sweep_outbox() == 2
        assert sweep_outbox() == 0
    assert sorted(m["Message-ID"] for _e, m in smtp_server.messages) == sorted(e.message_id for e in emails)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_with_the_file_backend_mail_is_written_under_the_mail_folder(settings, tmp_path):
    # What `make run` does when no SMTP server is configured.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    email = reply()
    assert outbox.outbox_deliver(email_id=email.pk) == ("sent", None)
    [written] = list(tmp_path.iterdir())
    assert email.message_id in written.read_text()


def test_a_row_that_keeps_killing_its_worker_ends_as_failed(smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    client = ClientFactory()
    email = reply(client=client)
    now = timezone.now()
    for _ in range(2):
        with time_machine.travel(now, tick=False):
            assert outbox.outbox_claim(email_id=email.pk) is not None  # the worker dies every time
        now += timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS + 1)
        with time_machine.travel(now, tick=False):
            outbox.outbox_release_stale_claims()
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "gave up" in email.last_error
    assert TimelineEvent.objects.filter(client=client, kind="email.failed").count() == 1
    assert smtp_server.messages == []


def test_the_sweep_runs_every_minute_from_beat(settings):
    from agency_crm.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["schedule"] == 60.0
    assert entry["task"] in app.tasks
    assert deliver_email.name in app.tasks
