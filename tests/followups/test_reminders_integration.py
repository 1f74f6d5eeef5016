"""Real Celery worker(s) and beat(s) on Redis and PostgreSQL deliver reminders to a loopback SMTP
server exactly once: with two beats, after a worker is killed mid-reminder, and after an outage
of the broker.

The test policies count around the clock so the tests do not depend on the hour they run at.
"""

import datetime as dt
import os
import signal
import subprocess
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, Reminder, ReminderLevel, ResponsePolicy
from tests.conftest import wait_until
from tests.followups.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.integration

TICK = {"REMINDERS_TICK_SECONDS": "1"}


@pytest.fixture
def around_the_clock(transactional_db):
    ResponsePolicy.objects.update(around_the_clock=True, first_response_minutes=480)


def waiting_since(owner, started_at, subject="Server down"):
    client = ClientFactory(account_owner=owner)
    conversation = conversation_start(
        client=client, contact=ContactFactory(client=client), subject=subject, channel="phone", actor=owner
    )
    message_receive(conversation=conversation, body="Please call", channel=Channel.PHONE, occurred_at=started_at)
    return conversation


def past_due(owner, subject="Server down"):
    # 480 minutes around the clock: due an hour ago, escalation an hour from now.
    return waiting_since(owner, timezone.now() - dt.timedelta(hours=9), subject)


def reminder_emails(smtp_server, to):
    return [m for envelope, m in smtp_server.messages if to in envelope.rcpt_tos]


def settle(seconds=5):
    # Several more beat ticks: anything that would send a second email has had its chance.
    time.sleep(seconds)


def test_a_wait_past_due_gets_exactly_one_due_reminder_email(celery_processes, smtp_server, around_the_clock):
    owner = UserFactory(username="minji")
    conversation = past_due(owner)
    celery_processes("worker", **smtp_server.env(), **TICK)
    celery_processes("beat", **smtp_server.env(), **TICK)

    wait_until(lambda: reminder_emails(smtp_server, owner.email), timeout=60, message="the due reminder email")
    settle()
    [email] = reminder_emails(smtp_server, owner.email)
    assert "Server down" in email.get_body(("plain",)).get_content()
    assert f"/conversations/{conversation.pk}/" in email.get_body(("plain",)).get_content()
    assert list(Reminder.objects.values_list("level", flat=True)) == [ReminderLevel.DUE]
    assert len(smtp_server.messages) == 1


def test_two_beat_schedulers_and_two_workers_still_send_one_email(celery_processes, smtp_server, around_the_clock):
    owner = UserFactory(username="minji")
    past_due(owner)
    celery_processes("worker", **smtp_server.env(), **TICK)
    celery_processes("worker", **smtp_server.env(), **TICK)
    celery_processes("beat", **smtp_server.env(), **TICK)
    celery_processes("beat", **smtp_server.env(), **TICK)

    wait_until(lambda: reminder_emails(smtp_server, owner.email), timeout=60, message="the due reminder email")
    settle(6)
    assert len(reminder_emails(smtp_server, owner.email)) == 1
    assert Reminder.objects.count() == 1


def _a_session_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_reminder_delivers_it_exactly_once_after_a_new_worker_starts(
    celery_processes, smtp_server, around_the_clock
):
    owner = UserFactory(username="minji")
    conversation = past_due(owner)
    wait = conversation.waits.get()
    # A second database session of our own (the test's connection stays free for assertions).
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    # An uncommitted Reminder row for the same (message, level): the worker claims the schedule,
    # then its own INSERT waits on the unique index to learn whether ours commits. It is in the
    # middle of the reminder, with its transaction open, when we kill it.
    with blocker.cursor() as cursor:
        cursor.execute(
            "INSERT INTO followups_reminder (wait_id, message_id, level, level_at, created_at)"
            " VALUES (%s, %s, %s, now(), now())",
            [wait.pk, wait.started_by_id, ReminderLevel.DUE],
        )
    try:
        worker = celery_processes("worker", **smtp_server.env(), **TICK)
        celery_processes("beat", **smtp_server.env(), **TICK)
        wait_until(_a_session_waits_for_a_lock, timeout=60, message="the worker blocked inside the reminder")
        worker.kill(signal.SIGKILL)
    finally:
        # Our row goes away; the dead worker's session finds its client gone and rolls back.
        blocker.rollback()
        blocker.close()
    wait_until(lambda: not _a_session_waits_for_a_lock(), timeout=30, message="the dead session gone")
    assert not Reminder.objects.exists()  # the killed transaction rolled back
    assert smtp_server.messages == []

    celery_processes("worker", **smtp_server.env(), **TICK)
    wait_until(lambda: reminder_emails(smtp_server, owner.email), timeout=60, message="the reminder after restart")
    settle()
    assert len(reminder_emails(smtp_server, owner.email)) == 1
    assert list(Reminder.objects.values_list("level", flat=True)) == [ReminderLevel.DUE]


# --- a broker outage (a Redis server of our own, never the shared one) -----------------------
REDIS_PORT = int(os.environ.get("REMINDERS_TEST_REDIS_PORT", "6390"))


class OwnRedis:
    def __init__(self, port: int):
        self.port = port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        wait_until(lambda: self._ping(redis), timeout=10, message="redis-server up")

    def _ping(self, redis):
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def own_redis():
    server = OwnRedis(REDIS_PORT)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_url(own_redis):
    """Overrides the shared fixture: the workers and beat use our own Redis, which we stop."""
    return f"redis://127.0.0.1:{own_redis.port}/0"


def test_levels_that_come_due_while_redis_is_down_are_all_delivered_once_when_it_returns(
    celery_processes, smtp_server, around_the_clock, own_redis
):
    worker = celery_processes("worker", **smtp_server.env(), **TICK)
    celery_processes("beat", **smtp_server.env(), **TICK)
    worker.wait_for("reminders_tick", timeout=30)
    own_redis.stop()
    # A tick the worker had already received may still finish; after that nothing can run.
    time.sleep(2)

    # While the broker is down staff keep logging: one wait already past due, one that
    # crosses its due time during the outage (its warning level is already behind it).
    minji, junho = UserFactory(username="minji"), UserFactory(username="junho")
    first = past_due(minji, "Invoice question")
    second = waiting_since(junho, timezone.now() - dt.timedelta(minutes=480) + dt.timedelta(seconds=6), "Login bug")
    time.sleep(8)
    assert not Reminder.objects.exists()

    own_redis.start()
    wait_until(
        lambda: reminder_emails(smtp_server, minji.email) and reminder_emails(smtp_server, junho.email),
        timeout=90,
        message="both reminder emails after the broker returned",
    )
    settle()
    assert list(Reminder.objects.filter(wait__conversation=first).values_list("level", flat=True)) == [
        ReminderLevel.DUE
    ]
    assert list(Reminder.objects.filter(wait__conversation=second).order_by("id").values_list("level", flat=True)) == [
        ReminderLevel.WARNING,
        ReminderLevel.DUE,
    ]
    [minji_email] = reminder_emails(smtp_server, minji.email)
    [junho_email] = reminder_emails(smtp_server, junho.email)
    text = junho_email.get_body(("plain",)).get_content()
    assert text.index("Reply soon: Login bug") < text.index("Reply due now: Login bug")
    assert "Invoice question" in minji_email.get_body(("plain",)).get_content()
