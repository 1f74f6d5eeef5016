"""The IMAP poller against a real Dovecot on loopback (tests/followups/mailin_support.py), and
the whole email round trip with a real Celery worker and a real SMTP server."""

import os
import signal
import subprocess
import sys

import pytest
from django.db import transaction

from agency_crm.outbox import OutboundEmail
from followups.conversations.services import conversation_reply
from followups.conversations.tokens import conversation_token
from followups.mailin import imap as mailin_imap
from followups.mailin.imap import mailbox_poll
from followups.mailin.ingest import mail_failure_retry
from followups.mailin.models import InboundEmail, MailboxState, MailImportFailure
from followups.models import Channel, Conversation, Message, ResponseWait
from tests.agency_crm.test_settings import PRODUCTION, run_manage
from tests.conftest import ROOT, subprocess_env, wait_until
from tests.followups.factories import ClientFactory, ContactFactory

from .mailin_support import build_email, dovecot  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def contact(owner):
    client = ClientFactory(name="Hanbit Logistics", account_owner=owner)
    return ContactFactory(client=client, name="Kim Minji", email="minji@customer.example", preferred_language="ko")


@pytest.mark.django_db
def test_the_poller_ingests_new_mail_into_a_new_conversation_and_flags_it(dovecot, contact):  # noqa: F811
    dovecot.append(build_email(from_="Kim Minji <minji@customer.example>", subject="로그인 오류", charset="euc-kr"))

    result = mailbox_poll()

    assert (result.ingested, result.duplicates, result.failed, result.errors) == (1, 0, 0, [])
    email = InboundEmail.objects.get()
    assert email.subject == "로그인 오류"
    assert email.conversation.contact == contact
    assert email.conversation.status == Conversation.Status.WAITING_ON_US
    assert dovecot.flagged_count() == (1, 1)
    state = MailboxState.objects.get(pk=1)
    assert state.last_poll_result["ingested"] == 1 and state.last_error == ""


@pytest.mark.django_db
def test_running_the_poller_twice_ingests_nothing_twice(dovecot, contact):  # noqa: F811
    for n in range(3):
        dovecot.append(build_email(from_="minji@customer.example", subject=f"Question {n}"))

    first, second = mailbox_poll(), mailbox_poll()

    assert first.ingested == 3
    assert (second.ingested, second.duplicates, second.failed) == (0, 0, 0)
    assert InboundEmail.objects.count() == Message.objects.count() == 3


@pytest.mark.django_db
def test_a_crash_between_commit_and_flagging_loses_and_duplicates_nothing(dovecot, contact, monkeypatch):  # noqa: F811
    for n in range(3):
        dovecot.append(build_email(from_="minji@customer.example", subject=f"Question {n}"))
    real_mark = mailin_imap.mark_processed

    def crash(imap, uid, flag):
        raise RuntimeError("the poller died after the commit, before flagging")

    monkeypatch.setattr(mailin_imap, "mark_processed", crash)
    with pytest.raises(RuntimeError):
        mailbox_poll()
    # The first message was committed; the server still shows everything as new.
    assert InboundEmail.objects.count() == 1
    assert dovecot.flagged_count() == (0, 3)

    monkeypatch.setattr(mailin_imap, "mark_processed", real_mark)
    result = mailbox_poll()

    assert (result.ingested, result.duplicates) == (2, 1)
    assert InboundEmail.objects.count() == Message.objects.count() == 3
    assert sorted(InboundEmail.objects.values_list("subject", flat=True)) == ["Question 0", "Question 1", "Question 2"]
    assert dovecot.flagged_count() == (3, 3)


@pytest.mark.django_db
def test_bad_mail_goes_to_the_could_not_import_list_without_blocking_the_rest(dovecot, contact, django_user_model):  # noqa: F811
    dovecot.append(
        b"From: \xff\xfe\r\nSubject: \xb0\xa1 broken\r\nContent-Type: text/plain; charset=nope\r\n\r\n\xff\r\n"
    )
    dovecot.append(build_email(from_="stranger@unknown.example", subject="Who owns me?"))
    dovecot.append(build_email(from_="minji@customer.example", subject="Behind the bad ones"))
    # No active staff: mail of unknown senders cannot get an owner and fails; the rest goes through.
    django_user_model.objects.update(is_active=False)

    result = mailbox_poll()

    assert (result.ingested, result.failed) == (1, 2)
    assert InboundEmail.objects.get().subject == "Behind the bad ones"
    assert sorted(MailImportFailure.objects.values_list("summary", flat=True)) == [
        "stranger@unknown.example — Who owns me?",
        "\ufffd\ufffd — 가 broken",
    ]
    assert dovecot.flagged_count() == (3, 3)

    # Fixed (someone can own them again): the retry imports both from the stored originals.
    django_user_model.objects.update(is_active=True)
    for failure in MailImportFailure.objects.all():
        assert mail_failure_retry(failure=failure).outcome == "ingested"
    assert InboundEmail.objects.filter(subject="가 broken", conversation__unknown_sender__isnull=False).exists()
    assert mailbox_poll().ingested == 0


@pytest.mark.django_db
def test_an_unreachable_mailbox_is_reported_not_raised(settings, contact):
    settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_USE_SSL, settings.IMAP_TIMEOUT = "127.0.0.1", 9, False, 2
    result = mailbox_poll()
    assert result.errors and result.ingested == 0
    assert MailboxState.objects.get(pk=1).last_error.startswith("ConnectionRefusedError")


def test_the_whole_round_trip_with_a_worker_smtp_and_imap(celery_processes, smtp_server, dovecot, contact, owner):  # noqa: F811
    from followups.mailin.tasks import mailin_poll

    celery_processes("worker", **smtp_server.env(), **dovecot.settings())
    question = build_email(
        from_="Kim Minji <minji@customer.example>", subject="배송 조회 오류", body="화면이 안 열려요."
    )
    dovecot.append(question)

    # Beat's task, run by the worker: the email becomes a conversation waiting on us.
    mailin_poll.delay()
    email = wait_until(lambda: InboundEmail.objects.first(), message="the customer's email ingested")
    conversation = Conversation.objects.get(pk=email.conversation_id)
    assert conversation.status == Conversation.Status.WAITING_ON_US

    # A staff reply by email goes through the outbox to the SMTP server, threaded.
    with transaction.atomic():
        conversation_reply(conversation=conversation, author=owner, body="확인 중입니다.", channel=Channel.EMAIL)
    wait_until(lambda: smtp_server.messages, message="the staff reply delivered over SMTP")
    [(envelope, sent)] = smtp_server.messages
    token = conversation_token(conversation.pk)
    assert envelope.rcpt_tos == ["minji@customer.example"]
    assert sent["In-Reply-To"] == question["Message-ID"]
    assert sent["References"] == question["Message-ID"]
    assert sent["Reply-To"] == f"crm+{token}@localhost"
    # Python's email generator folds an encoded subject that does not fit after "Subject: " onto
    # the next line (a four-digit conversation id is enough), and the test's parser keeps the
    # fold's space; our own parser (followups.mailin.parser) strips it.
    assert sent["Subject"].strip() == f"Re: 배송 조회 오류 [#{token}]"
    assert sent.get_body(("plain",)).get_content().startswith("확인 중입니다.")
    assert "확인 중입니다." in sent.get_body(("html",)).get_content()
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_CUSTOMER

    # The customer answers (In-Reply-To our Message-ID): same conversation, the clock restarts.
    dovecot.append(
        build_email(from_="minji@customer.example", subject="Re: 배송 조회 오류", in_reply_to=sent["Message-ID"])
    )
    mailin_poll.delay()
    wait_until(lambda: InboundEmail.objects.count() == 2, message="the customer's reply ingested")
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_US
    assert InboundEmail.objects.filter(conversation=conversation).count() == 2
    assert [w.kind for w in ResponseWait.objects.filter(conversation=conversation).order_by("started_at")] == [
        "first",
        "next",
    ]

    # Polling again finds nothing new.
    mailin_poll.delay()
    wait_until(
        lambda: MailboxState.objects.filter(
            pk=1, last_poll_result__ingested=0, last_poll_result__duplicates=0
        ).exists(),
        message="a third, empty poll",
    )
    assert InboundEmail.objects.count() == 2
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IMAP_HOST": "imap.example", "IMAP_USER": "crm"}, "IMAP_PASSWORD"),
        ({"IMAP_USE_SSL": "true", "IMAP_STARTTLS": "true"}, "IMAP_STARTTLS"),
        ({"IMAP_POLL_SECONDS": "1"}, "IMAP_POLL_SECONDS"),
        ({"IMAP_PORT": "many"}, "many"),
    ],
)
def test_bad_imap_settings_stop_the_start_up(env, message):
    result = run_manage("check", **PRODUCTION, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_beat_asks_for_the_poll_whether_or_not_imap_is_in_the_settings():
    """A manager may connect the mailbox in the app: beat asks every 15 s at most, and the task
    reads the mailbox only when one is connected and its interval has passed."""
    code = (
        "from django.conf import settings as s; e = s.CELERY_BEAT_SCHEDULE['mailin-poll']; "
        "print(e['schedule'], e['kwargs'])"
    )
    result = run_manage("shell", "-c", code, **PRODUCTION, IMAP_HOST="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "15.0 {'when_due': True}"


def test_killing_a_real_poller_mid_run_loses_and_duplicates_nothing(transactional_db, dovecot, contact):  # noqa: F811
    total = 80
    for n in range(total):
        dovecot.append(build_email(from_="minji@customer.example", subject=f"Question {n}"))
    env = subprocess_env(**dovecot.settings())
    poller = subprocess.Popen(
        [sys.executable, "manage.py", "poll_mailbox"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(lambda: InboundEmail.objects.count() >= 5, message="the poller importing a few messages")
    finally:
        os.killpg(poller.pid, signal.SIGKILL)
        poller.wait(timeout=10)
    imported_before = InboundEmail.objects.count()
    flagged_before, _ = dovecot.flagged_count()
    assert imported_before < total, "the poller finished before it could be killed; append more messages"
    # Whatever the moment of the kill, at most one message was committed but not yet flagged.
    assert imported_before - flagged_before in (0, 1)

    # The killed session's advisory lock is released when PostgreSQL notices the dead connection.
    def poll_when_unlocked():
        result = mailbox_poll()
        return None if result.skipped_locked else result

    result = wait_until(poll_when_unlocked, message="the killed poller's lock released")

    assert result.duplicates == imported_before - flagged_before
    assert result.ingested == total - imported_before
    assert InboundEmail.objects.count() == Message.objects.count() == total
    assert len(set(InboundEmail.objects.values_list("subject", flat=True))) == total
    assert dovecot.flagged_count() == (total, total)
