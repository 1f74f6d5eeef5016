"""mail_ingest: dedupe, threading, contacts and unknown senders, the clock, auto-replies,
acknowledgements, outbound threading headers, and the "could not import" list."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from agency_crm.outbox import OutboundEmail
from clients.models import TimelineEvent
from followups.conversations.services import conversation_reply
from followups.conversations.tokens import conversation_token, reply_address
from followups.mailin.ingest import mail_failure_retry, mail_ingest
from followups.mailin.models import EmailAcknowledgement, InboundEmail, MailImportFailure, MailSource, UnknownSender
from followups.models import Channel, Conversation, Message, ResponsePolicy, ResponseWait
from tests.followups.factories import ClientFactory, ContactFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def contact(owner):
    client = ClientFactory(name="Hanbit Logistics", account_owner=owner)
    return ContactFactory(client=client, name="Kim Minji", email="Minji@Customer.example", preferred_language="ko")


def ingest(message, source=MailSource.IMAP):
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return mail_ingest(raw=raw, source=source)


def test_email_from_a_known_contact_opens_a_conversation_and_starts_the_clock(contact, owner):
    result = ingest(
        build_email(from_="Kim Minji <minji@customer.example>", subject="결제 오류", body="결제가 안 됩니다.")
    )

    assert result.outcome == "ingested"
    email = result.email
    conversation = email.conversation
    assert conversation.client == contact.client
    assert conversation.contact == contact
    assert conversation.owner == owner
    assert conversation.subject == "결제 오류"
    assert conversation.channel == Channel.EMAIL
    assert conversation.status == Conversation.Status.WAITING_ON_US
    message = email.customer_message
    assert message.body == "결제가 안 됩니다."
    assert message.author_contact == contact
    assert message.direction == Message.Direction.FROM_CUSTOMER
    assert ResponseWait.objects.get(conversation=conversation).started_by == message
    assert email.threaded_by == InboundEmail.Threading.NEW
    assert not UnknownSender.objects.exists()
    assert TimelineEvent.objects.filter(client=contact.client, kind="message.received").count() == 1


def test_the_same_email_twice_is_ingested_once(contact):
    raw = build_email(from_="minji@customer.example").as_bytes()
    assert mail_ingest(raw=raw, source=MailSource.IMAP).outcome == "ingested"
    assert mail_ingest(raw=raw, source=MailSource.MBOX).outcome == "duplicate"
    assert InboundEmail.objects.count() == 1
    assert Message.objects.count() == 1


def test_an_email_without_message_id_is_deduplicated_by_its_content(contact):
    raw = build_email(from_="minji@customer.example", message_id=None).as_bytes()
    first = mail_ingest(raw=raw, source=MailSource.IMAP)
    second = mail_ingest(raw=raw, source=MailSource.IMAP)
    assert (first.outcome, second.outcome) == ("ingested", "duplicate")
    assert first.email.message_id_synthesized
    assert Message.objects.count() == 1


def test_unknown_sender_opens_a_conversation_marked_for_triage(manager):
    result = ingest(build_email(from_="Stranger <new.lead@somewhere.example>", subject="Website quote?"))

    conversation = result.email.conversation
    triage = UnknownSender.objects.get(conversation=conversation)
    assert (triage.address, triage.name, triage.is_open) == ("new.lead@somewhere.example", "Stranger", True)
    assert conversation.contact is None
    assert conversation.client.name == "Unknown senders (triage)"
    assert conversation.owner == manager
    assert conversation.status == Conversation.Status.WAITING_ON_US
    # A second stranger lands on the same triage client.
    other = ingest(build_email(from_="other@elsewhere.example")).email.conversation
    assert other.client == conversation.client and other != conversation


def test_staff_email_reply_carries_threading_headers_and_the_reply_token(contact, owner):
    inbound = ingest(build_email(from_="minji@customer.example", subject="Login bug")).email
    conversation = inbound.conversation

    conversation_reply(conversation=conversation, author=owner, body="We are on it.", channel=Channel.EMAIL)

    outbound = OutboundEmail.objects.get(related__conversation_id=conversation.pk)
    token = conversation_token(conversation.pk)
    assert outbound.in_reply_to == inbound.message_id
    assert outbound.references == [inbound.message_id]
    assert outbound.reply_to == reply_address(conversation.pk) == f"crm+{token}@localhost"
    assert outbound.subject == f"Re: Login bug [#{token}]"
    assert outbound.to == ["Minji@Customer.example"]


def test_customer_reply_with_in_reply_to_joins_the_conversation_and_restarts_the_clock(contact, owner):
    conversation = ingest(build_email(from_="minji@customer.example")).email.conversation
    conversation_reply(conversation=conversation, author=owner, body="Fixed?", channel=Channel.EMAIL)
    ours = OutboundEmail.objects.get(related__conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_CUSTOMER

    # The customer's mail program drops our subject token: the headers alone must thread it.
    result = ingest(build_email(from_="minji@customer.example", subject="Still broken", in_reply_to=ours.message_id))

    assert result.email.conversation == conversation
    assert result.email.threaded_by == InboundEmail.Threading.HEADERS
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_US
    waits = list(ResponseWait.objects.filter(conversation=conversation).order_by("started_at", "id"))
    assert [w.kind for w in waits] == [ResponseWait.Kind.FIRST, ResponseWait.Kind.NEXT]
    assert waits[1].started_by == result.email.customer_message and waits[1].is_open


def test_references_to_an_earlier_customer_email_thread_too(contact):
    first = ingest(build_email(from_="minji@customer.example")).email
    second = ingest(build_email(from_="minji@customer.example", references=["<unknown@x>", first.message_id])).email
    assert second.conversation == first.conversation
    assert Conversation.objects.count() == 1


def test_plus_address_token_threads_when_headers_are_missing(contact):
    conversation = ingest(build_email(from_="minji@customer.example")).email.conversation
    email = ingest(build_email(from_="minji@customer.example", to=reply_address(conversation.pk))).email
    assert (email.conversation, email.threaded_by) == (conversation, InboundEmail.Threading.PLUS_ADDRESS)


def test_subject_token_threads_when_headers_and_address_are_missing(contact):
    conversation = ingest(build_email(from_="minji@customer.example")).email.conversation
    token = conversation_token(conversation.pk)
    email = ingest(build_email(from_="minji@customer.example", subject=f"Re: hello [#{token}]")).email
    assert (email.conversation, email.threaded_by) == (conversation, InboundEmail.Threading.SUBJECT)


def test_a_forged_token_does_not_thread(contact):
    conversation = ingest(build_email(from_="minji@customer.example")).email.conversation
    email = ingest(build_email(from_="minji@customer.example", subject=f"[#{conversation.pk}-0000000000] hi")).email
    assert email.conversation != conversation
    assert email.threaded_by == InboundEmail.Threading.NEW


def test_headers_win_over_tokens(contact):
    first = ingest(build_email(from_="minji@customer.example")).email.conversation
    second = ingest(build_email(from_="minji@customer.example")).email
    token = conversation_token(first.pk)
    email = ingest(
        build_email(from_="minji@customer.example", subject=f"[#{token}]", in_reply_to=second.message_id)
    ).email
    assert email.conversation == second.conversation != first


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"X-Autoreply": "yes"}, {"Precedence": "junk"}],
)
def test_auto_reply_is_stored_but_never_starts_a_clock_or_gets_an_acknowledgement(contact, owner, headers):
    ResponsePolicy.objects.update(send_acknowledgement=True)
    conversation = ingest(build_email(from_="minji@customer.example")).email.conversation
    conversation_reply(conversation=conversation, author=owner, body="Answer", channel=Channel.EMAIL)
    ours = OutboundEmail.objects.get(related__conversation_id=conversation.pk, kind=OutboundEmail.Kind.REPLY)
    acks_before = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).count()

    auto = ingest(
        build_email(
            from_="minji@customer.example", subject="Out of office", in_reply_to=ours.message_id, headers=headers
        )
    ).email

    assert auto.is_automatic and auto.conversation == conversation
    assert auto.customer_message is None
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING_ON_CUSTOMER
    assert not ResponseWait.objects.filter(conversation=conversation, closed_at__isnull=True).exists()
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).count() == acks_before


def test_an_unthreaded_bounce_is_stored_without_a_conversation(contact):
    email = ingest(build_email(from_="MAILER-DAEMON@mx.example", subject="Undelivered Mail")).email
    assert email.is_automatic and email.conversation is None
    assert not Conversation.objects.exists()


def test_our_own_email_coming_back_is_not_a_customer_message(contact, owner):
    conversation = ingest(build_email(from_="minji@customer.example")).email.conversation
    conversation_reply(conversation=conversation, author=owner, body="Answer", channel=Channel.EMAIL)
    ours = OutboundEmail.objects.get(related__conversation_id=conversation.pk)
    copy = ingest(build_email(from_="crm@localhost", message_id=ours.message_id)).email
    assert copy.automatic_reason == "sent by us"
    assert copy.customer_message is None


def test_acknowledgement_goes_out_once_per_conversation_per_day_with_the_due_time(contact):
    ResponsePolicy.objects.update(send_acknowledgement=True)
    monday_morning = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SEOUL)
    with time_machine.travel(monday_morning, tick=False):
        first = ingest(build_email(from_="minji@customer.example", subject="견적 문의", date=monday_morning)).email
    conversation = first.conversation
    conversation.refresh_from_db()
    (ack,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT)
    assert ack.headers["Auto-Submitted"] == "auto-generated"
    assert ack.to == ["minji@customer.example"]
    assert ack.in_reply_to == first.message_id
    assert ack.language == "ko"
    due = conversation.reply_due_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
    assert due == "2026-11-16 18:00"  # standard tier: 8 business hours after 10:00 is 18:00 the same day
    assert "2026년 11월 16일 (월) 오후 6:00 KST" in ack.text_body  # the contact's language
    assert ack.related == {"conversation_id": conversation.pk, "inbound_email_id": first.pk}

    with time_machine.travel(monday_morning + dt.timedelta(hours=2), tick=False):
        ingest(build_email(from_="minji@customer.example", in_reply_to=first.message_id))
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).count() == 1

    with time_machine.travel(monday_morning + dt.timedelta(days=1), tick=False):
        ingest(build_email(from_="minji@customer.example", in_reply_to=first.message_id))
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).count() == 2
    assert EmailAcknowledgement.objects.filter(conversation=conversation).count() == 2


def test_no_acknowledgement_without_the_policy_flag_or_for_unknown_senders(contact, manager):
    ingest(build_email(from_="minji@customer.example"))
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).exists()
    ResponsePolicy.objects.update(send_acknowledgement=True)
    ingest(build_email(from_="stranger@spam.example"))
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).exists()


def test_attachments_are_stored_and_oversized_ones_listed_only(contact, settings):
    settings.MAILIN_MAX_ATTACHMENT_BYTES = 1024 * 1024
    message = build_email(from_="minji@customer.example", body="Files attached")
    message.add_attachment(b"%PDF-1.4 small", maintype="application", subtype="pdf", filename="견적서.pdf")
    message.add_attachment(b"x" * (20 * 1024 * 1024), maintype="application", subtype="zip", filename="big.zip")

    email = ingest(message).email

    small, big = email.attachments.order_by("id")
    assert (small.filename, small.stored, small.size) == ("견적서.pdf", True, 14)
    with small.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 small"
    assert (big.filename, big.stored, big.size) == ("big.zip", False, 20 * 1024 * 1024)
    assert email.customer_message.body == "Files attached"


def test_a_500_part_email_and_a_hostile_subject_are_ingested(contact):
    message = build_email(from_="minji@customer.example", subject="<script>alert(1)</script>", body="body")
    for n in range(499):
        message.add_attachment(f"part {n}".encode(), maintype="text", subtype="plain", filename=f"p{n}.txt")
    email = ingest(message).email
    assert email.subject == "<script>alert(1)</script>"
    assert email.attachments.count() == 198  # MAILIN_MAX_PARTS (200) minus the container and the body
    assert any("MIME parts" in d for d in email.defects)


def test_a_from_that_is_not_an_address_becomes_an_unknown_sender(manager):
    raw = b"From: just some words\r\nSubject: hi\r\nMessage-ID: <words@x.example>\r\n\r\nHello\r\n"
    email = mail_ingest(raw=raw, source=MailSource.IMAP).email
    assert email.from_address == ""
    assert email.conversation.unknown_sender.name == "just some words"


def test_an_email_that_cannot_be_imported_is_listed_and_can_be_retried(contact):
    # A stranger's email needs a staff account to own the triage client; there is none yet.
    get_user_model().objects.update(is_active=False)
    raw = build_email(from_="stranger@x.example", subject="Hello?").as_bytes()

    result = mail_ingest(raw=raw, source=MailSource.IMAP)

    assert result.outcome == "failed"
    failure = MailImportFailure.objects.get()
    assert "no active staff account" in failure.error
    assert failure.summary == "stranger@x.example — Hello?"
    assert failure.resolved_at is None
    assert not InboundEmail.objects.exists() and not Conversation.objects.exists()
    # Reading the same message again counts the attempt on the same row.
    mail_ingest(raw=raw, source=MailSource.IMAP)
    failure.refresh_from_db()
    assert failure.attempts == 2

    get_user_model().objects.update(is_active=True)
    retried = mail_failure_retry(failure=failure)

    assert retried.outcome == "ingested"
    failure.refresh_from_db()
    assert failure.resolved_at is not None and failure.inbound_email == retried.email


def test_a_failing_email_does_not_block_the_next_one(contact):
    get_user_model().objects.update(is_active=False)
    bad = mail_ingest(raw=build_email(from_="stranger@x.example").as_bytes(), source=MailSource.IMAP)
    good = mail_ingest(raw=build_email(from_="minji@customer.example").as_bytes(), source=MailSource.IMAP)
    assert (bad.outcome, good.outcome) == ("failed", "ingested")


def test_a_pathologically_nested_email_is_rejected_into_the_list_not_raised(contact):
    depth = 1500
    raw = (
        b"From: minji@customer.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
        + b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth))
        + b"Content-Type: text/plain\r\n\r\ndeep\r\n"
        + b"".join(b"\r\n--b%d--\r\n" % i for i in reversed(range(depth)))
    )
    result = mail_ingest(raw=raw, source=MailSource.IMAP)
    assert result.outcome == "failed"
    assert MailImportFailure.objects.get().summary == "minji@customer.example — nested"
    assert mail_ingest(raw=build_email(from_="minji@customer.example").as_bytes(), source="imap").outcome == "ingested"
