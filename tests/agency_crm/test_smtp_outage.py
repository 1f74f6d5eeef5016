"""Long SMTP outages (issue 16): a temporary failure keeps an email pending, retried with capped
backoff, until OUTBOX_GIVE_UP_AFTER seconds after its first attempt; when the server comes back,
the sweep delivers every email exactly once. A frozen clock (time-machine) moves through the
outage; the SMTP server is a real one on loopback (aiosmtpd), stopped and started again.

The beat sweep runs every minute; between two retries it finds nothing due, so `sweep_through`
runs it only at the moments a row becomes due (what the every-minute sweep would do then).
"""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.outbox import services as outbox
from agency_crm.outbox.tasks import sweep_outbox
from clients.models import TimelineEvent
from followups.models import Notification
from tests.factories import ClientFactory, ManagerFactory

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


@pytest.fixture
def eager_celery():
    """Run the tasks the sweep queues in this process (the real tasks, without a broker)."""
    from agency_crm.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def customer_reply(client):
    return outbox_enqueue(
        to=["jiwoo@customer.example"],
        subject="Re: 로그인 문제",
        template="message",
        context={"body": "해결했습니다."},
        kind=OutboundEmail.Kind.REPLY,
        language="ko",
        client=client,
    )


def reminder_digest():
    """An internal email: no client, so no timeline to show a failure on."""
    return outbox_enqueue(
        to=["minji@agency.example"],
        subject="2 items need your attention",
        template="message",
        context={"body": "Reply due now: Login bug"},
        kind=OutboundEmail.Kind.REMINDER,
        automatic=True,
    )


def sweep_through(until) -> int:
    """Run the sweep at every moment a pending row becomes due, up to `until`. Returns the runs."""
    runs = 0
    while True:
        due = (
            OutboundEmail.objects.filter(status=Status.PENDING)
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if due is None or due > until:
            return runs
        with time_machine.travel(due, tick=False):
            sweep_outbox()
        runs += 1
        assert runs < 1000, "the sweep does not move on"


def statuses():
    return sorted(OutboundEmail.objects.values_list("status", flat=True))


@pytest.mark.parametrize("outage", [timedelta(hours=2), timedelta(days=2)], ids=["2 hours", "2 days"])
def test_an_outage_delivers_every_email_once_when_smtp_returns(smtp_server, eager_celery, settings, outage):
    smtp_server.stop()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        emails = [customer_reply(ClientFactory()), reminder_digest(), customer_reply(ClientFactory())]
        assert sweep_outbox() == 3  # first attempts: connection refused

    sweep_through(start + outage)
    # Before, the sixth attempt (after 60+120+240+480+960 s, about 31 minutes) failed each email.
    assert statuses() == [Status.PENDING] * 3
    assert {e.attempts > 1 for e in OutboundEmail.objects.all()} == {True}

    smtp_server.start()
    back = start + outage
    # Within one capped backoff of the server's return, everything went out, each once.
    sweep_through(back + timedelta(seconds=settings.OUTBOX_RETRY_MAX_SECONDS))
    assert statuses() == [Status.SENT] * 3
    received = [message["Message-ID"] for _envelope, message in smtp_server.messages]
    assert sorted(received) == sorted(e.message_id for e in emails)
    assert len(set(received)) == len(received) == 3
    later = back + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        assert sweep_outbox() == 0
    assert len(smtp_server.messages) == 3
    assert not TimelineEvent.objects.filter(kind="email.failed").exists()


def test_the_retries_are_spaced_by_a_capped_backoff(smtp_server, eager_celery, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    smtp_server.stop()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        email = reminder_digest()
        sweep_outbox()
    gaps, previous = [], start
    for _ in range(9):
        email.refresh_from_db()
        gaps.append(int((email.next_attempt_at - previous).total_seconds()))
        previous = email.next_attempt_at
        with time_machine.travel(previous, tick=False):
            sweep_outbox()
    assert gaps == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.first_attempt_at) == (Status.PENDING, 10, start)


def _silent_port():
    """A TCP port that accepts connections and never says a word (a black-holed SMTP server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    return listener


@pytest.mark.parametrize("failure", ["refused", "451 reply", "timeout", "unknown host"])
def test_every_kind_of_temporary_failure_keeps_the_email_past_the_old_31_minutes(
    smtp_server, eager_celery, settings, failure
):
    listener = None
    if failure == "refused":
        smtp_server.stop()
    elif failure == "451 reply":
        smtp_server.reply = "451 4.3.0 Mail server temporarily rejected message"
    elif failure == "timeout":
        listener = _silent_port()
        settings.EMAIL_PORT = listener.getsockname()[1]
        settings.EMAIL_TIMEOUT = 1
    else:
        settings.EMAIL_HOST = "smtp.gonggam.invalid"  # RFC 6761: never resolves
    start = timezone.now()
    try:
        with time_machine.travel(start, tick=False):
            email = reminder_digest()
            sweep_outbox()
        sweep_through(start + timedelta(hours=2))
        email.refresh_from_db()
        assert email.status == Status.PENDING and email.attempts >= 7
        assert email.last_error
    finally:
        if listener is not None:
            listener.close()
    # The server is back (the same settings as before the failure).
    if failure == "refused":
        smtp_server.start()
    smtp_server.reply = "250 2.0.0 OK"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    sweep_through(start + timedelta(hours=3))
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert [message["Message-ID"] for _e, message in smtp_server.messages] == [email.message_id]


def test_only_the_deadline_fails_a_temporarily_refused_email(smtp_server, eager_celery, settings, manager, owner):
    settings.OUTBOX_GIVE_UP_AFTER = 3 * 24 * 3600
    smtp_server.stop()
    client = ClientFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        reply, digest = customer_reply(client), reminder_digest()
        sweep_outbox()
    deadline = start + timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER)

    sweep_through(deadline - timedelta(seconds=1))
    assert statuses() == [Status.PENDING] * 2
    # The last retry is due exactly at the deadline, not up to an hour after it.
    assert set(OutboundEmail.objects.values_list("next_attempt_at", flat=True)) == {deadline}

    sweep_through(deadline)
    assert statuses() == [Status.FAILED] * 2
    reply.refresh_from_db()
    assert "gave up" in reply.last_error and "Connection refused" in reply.last_error
    assert TimelineEvent.objects.filter(client=client, kind="email.failed").count() == 1
    # The digest has no timeline: every manager gets a notice in the bell (not by email), once.
    [notice] = Notification.objects.filter(kind="email.failed")
    assert notice.recipient == manager and not notice.email_pending
    assert notice.title == "An email could not be delivered: 2 items need your attention (to minji@agency.example)"
    assert notice.url == f"/outbox/{digest.pk}/" and "Connection refused" in notice.body
    sweep_through(deadline + timedelta(days=1))
    assert Notification.objects.filter(kind="email.failed").count() == 1

    # A failed email stays failed when the server returns, until someone presses "Retry".
    smtp_server.start()
    with time_machine.travel(deadline + timedelta(hours=1), tick=False):
        assert sweep_outbox() == 0
        assert outbox.outbox_retry(email=digest) is True
        sweep_outbox()
    digest.refresh_from_db()
    assert digest.status == Status.SENT and digest.first_attempt_at == deadline + timedelta(hours=1)
    assert [m["Message-ID"] for _e, m in smtp_server.messages] == [digest.message_id]


def test_a_permanent_refusal_still_fails_at_once_and_tells_every_manager(smtp_server, eager_celery, manager):
    second = ManagerFactory(username="boss2")
    smtp_server.reply = "550 5.1.1 Mailbox unavailable"
    with time_machine.travel(timezone.now(), tick=False):
        email = reminder_digest()
        sweep_outbox()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    notices = Notification.objects.filter(kind="email.failed")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([manager.pk, second.pk])
    assert all("550" in n.body for n in notices)


def test_a_failed_customer_email_is_on_the_timeline_not_in_the_managers_bell(smtp_server, eager_celery, manager):
    smtp_server.reply = "550 5.1.1 Mailbox unavailable"
    client = ClientFactory()
    with time_machine.travel(timezone.now(), tick=False):
        customer_reply(client)
        sweep_outbox()
    assert TimelineEvent.objects.filter(client=client, kind="email.failed").count() == 1
    assert not Notification.objects.filter(kind="email.failed").exists()
