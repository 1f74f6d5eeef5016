"""Inbound email: ingest one raw email, and retry a failed import (triage lives in `triage`).

`mail_ingest` is the single entry point of the IMAP poller, `import_mbox` and the retry button:
parse (followups.mailin.parser), deduplicate by Message-ID, thread, then record the customer's
email through the conversation services (message_receive), so the response clock starts exactly
as for any other customer message. It commits its own transaction and never raises for a bad
email: the email lands in the "could not import" list instead, with its raw bytes kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from email import policy as email_policy
from email.parser import BytesHeaderParser

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.outbox import OutboundEmail, outbox_enqueue
from clients.models import Client, Contact
from clients.timeline import timeline_record

from ..conversations.models import Channel, Conversation, ResponsePolicy
from ..conversations.services import conversation_follow_merges, conversation_start, message_receive
from ..conversations.subjects import reply_subject
from ..conversations.threading import reply_threading
from ..conversations.tokens import conversation_id_from_addresses, conversation_id_from_subject
from .models import (
    EmailAcknowledgement,
    InboundAttachment,
    InboundEmail,
    MailImportFailure,
    MailSource,
    UnknownSender,
)
from .parser import ParsedEmail, decode_header_value, parse_email
from .triage import NoStaffAccount, triage_client

logger = logging.getLogger(__name__)

# A live mailbox delivers mail within minutes; a Date header further off than this is a wrong
# clock (or a forgery), and the clock uses the time we received the email instead.
IMAP_DATE_TOLERANCE = dt.timedelta(days=2)


@dataclass
class IngestResult:
    outcome: str  # "ingested", "duplicate" or "failed"
    email: InboundEmail | None = None
    failure: MailImportFailure | None = None


class MailIngestError(Exception):
    """An email that cannot be imported as it is (recorded in the "could not import" list)."""


# --- ingest -----------------------------------------------------------------------------------
def mail_ingest(*, raw: bytes, source: str) -> IngestResult:
    """Import one raw email (idempotent by Message-ID). Never raises for a bad email."""
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        parsed = parse_email(raw)
    except Exception as exc:  # the parser is defensive; anything left is a parser bug
        logger.exception("mailin: could not parse a message (%s)", sha256)
        return _record_failure(raw=raw, sha256=sha256, source=source, error=f"could not parse: {exc!r}")
    existing = InboundEmail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        _resolve_failure(sha256=sha256, email=existing)
        return IngestResult("duplicate", email=existing)
    try:
        with transaction.atomic():
            email = _store(parsed, source)
    except IntegrityError:
        # A concurrent import of the same Message-ID won the unique constraint.
        existing = InboundEmail.objects.filter(message_id=parsed.message_id).first()
        if existing is not None:
            return IngestResult("duplicate", email=existing)
        logger.exception("mailin: integrity error importing %s", parsed.message_id)
        return _record_failure(raw=raw, sha256=sha256, source=source, error="database integrity error", parsed=parsed)
    except MailIngestError as exc:
        logger.warning("mailin: could not import %s: %s", parsed.message_id, exc)
        return _record_failure(raw=raw, sha256=sha256, source=source, error=str(exc), parsed=parsed)
    except Exception as exc:
        logger.exception("mailin: could not import %s", parsed.message_id)
        return _record_failure(
            raw=raw, sha256=sha256, source=source, error=f"{type(exc).__name__}: {exc}"[:5000], parsed=parsed
        )
    _resolve_failure(sha256=sha256, email=email)
    # Fresh from the database: the services updated the conversation through their own copies.
    email = InboundEmail.objects.select_related("conversation", "customer_message").get(pk=email.pk)
    return IngestResult("ingested", email=email)


def _occurred_at(parsed: ParsedEmail, source: str) -> dt.datetime:
    now = timezone.now()
    sent_at = parsed.sent_at
    if sent_at is None or sent_at > now:
        return now
    if source == MailSource.IMAP and now - sent_at > IMAP_DATE_TOLERANCE:
        return now
    return sent_at


def _store(parsed: ParsedEmail, source: str) -> InboundEmail:
    automatic_reason = parsed.automatic_reason
    if OutboundEmail.objects.filter(message_id=parsed.message_id).exists():
        # Our own email came back (a copy in the mailbox, a forwarding loop): never a customer's.
        automatic_reason = "sent by us"
    conversation, threaded_by = _thread(parsed)
    contact = contact_for_address(parsed.from_address, conversation)
    email = InboundEmail.objects.create(
        message_id=parsed.message_id,
        message_id_synthesized=parsed.message_id_synthesized,
        source=source,
        conversation=conversation,
        threaded_by=threaded_by if conversation else InboundEmail.Threading.NONE,
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        recipients=parsed.recipients[:50],
        subject=parsed.subject,
        in_reply_to=parsed.in_reply_to[:5],
        references=parsed.references[-20:],
        sent_at=parsed.sent_at,
        text_body=parsed.text,
        html_body=parsed.html,
        automatic_reason=automatic_reason[:100],
        defects=parsed.defects,
        raw_size=parsed.raw_size,
    )
    _store_attachments(email, parsed)
    if automatic_reason:
        # Stored and shown, but never a Message: it cannot start or restart a response clock,
        # and it never gets an acknowledgement, so two autoresponders cannot loop.
        if conversation is not None:
            timeline_record(
                client=conversation.client,
                kind="email.automatic_received",
                summary=gettext_noop("Automatic email received (%(reason)s): %(subject)s"),
                params={"reason": automatic_reason, "subject": parsed.subject or "-"},
                url=conversation.get_absolute_url(),
                data={"conversation_id": conversation.pk, "inbound_email_id": email.pk},
            )
        return email

    subject = parsed.subject or _("(no subject)")
    if conversation is None:
        threaded_by = InboundEmail.Threading.NEW
        if contact is not None:
            conversation = conversation_start(
                client=contact.client, contact=contact, subject=subject, channel=Channel.EMAIL, actor=None
            )
        else:
            conversation = conversation_start(
                client=_triage_client(), contact=None, subject=subject, channel=Channel.EMAIL, actor=None
            )
            UnknownSender.objects.create(conversation=conversation, address=parsed.from_address, name=parsed.from_name)
    body = parsed.text or (_("(attachments only)") if parsed.attachments else _("(empty email)"))
    occurred_at = _occurred_at(parsed, source)
    if source == MailSource.IMAP and conversation.last_message_at and occurred_at < conversation.last_message_at:
        # A Date header only has whole seconds (and the sender's clock may be off): an email that
        # arrives now cannot predate the thread it answers, or it would not restart the clock.
        occurred_at = timezone.now()
    message = message_receive(
        conversation=conversation,
        body=body,
        channel=Channel.EMAIL,
        occurred_at=occurred_at,
        contact=contact,
    )
    email.conversation = conversation
    email.customer_message = message
    email.threaded_by = threaded_by
    email.save(update_fields=["conversation", "customer_message", "threaded_by"])
    if contact is not None:
        _acknowledge(email=email, conversation=conversation, contact=contact)
    return email


def _store_attachments(email: InboundEmail, parsed: ParsedEmail) -> None:
    for attachment in parsed.attachments:
        row = InboundAttachment(
            email=email,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            content_id=attachment.content_id,
        )
        if attachment.content is not None:
            row.file.save("attachment.bin", ContentFile(attachment.content), save=False)
        row.save()


def _thread(parsed: ParsedEmail) -> tuple[Conversation | None, str]:
    """In-Reply-To/References, then the plus-address token, then the subject token."""
    ids = [*reversed(parsed.in_reply_to), *reversed(parsed.references)]
    if ids:
        by_id: dict[str, int] = {}
        for message_id, conversation_id in InboundEmail.objects.filter(
            message_id__in=ids, conversation__isnull=False
        ).values_list("message_id", "conversation_id"):
            by_id[message_id] = conversation_id
        for message_id, related in OutboundEmail.objects.filter(message_id__in=ids).values_list(
            "message_id", "related"
        ):
            if isinstance(related, dict) and isinstance(related.get("conversation_id"), int):
                by_id.setdefault(message_id, related["conversation_id"])
        for message_id in ids:
            if message_id in by_id:
                conversation = Conversation.objects.filter(pk=by_id[message_id]).first()
                if conversation is not None:
                    # An answer to a merged conversation's email lands in the one it became.
                    return conversation_follow_merges(conversation), InboundEmail.Threading.HEADERS
    for finder, threaded_by in (
        (lambda: conversation_id_from_addresses(parsed.recipients), InboundEmail.Threading.PLUS_ADDRESS),
        (lambda: conversation_id_from_subject(parsed.subject), InboundEmail.Threading.SUBJECT),
    ):
        conversation_id = finder()
        if conversation_id is not None:
            conversation = Conversation.objects.filter(pk=conversation_id).first()
            if conversation is not None:
                return conversation_follow_merges(conversation), threaded_by
    return None, InboundEmail.Threading.NEW


def contact_for_address(address: str, conversation: Conversation | None) -> Contact | None:
    """The contact with this address (case-insensitive, contact_email_lower_idx).

    Several clients may share a person: prefer the threaded conversation's client, then clients
    that are not archived, then the oldest contact.
    """
    if not address:
        return None
    contacts = list(
        Contact.objects.alias(email_lower=Lower("email"))
        .filter(email_lower=address.lower())
        .select_related("client")
        .order_by("id")[:20]
    )
    if not contacts:
        return None
    if conversation is not None:
        for contact in contacts:
            if contact.client_id == conversation.client_id:
                return contact
    active = [c for c in contacts if not c.client.is_archived]
    return (active or contacts)[0]


def _triage_client() -> Client:
    try:
        return triage_client()
    except NoStaffAccount as exc:
        raise MailIngestError(str(exc)) from exc


def _acknowledge(*, email: InboundEmail, conversation: Conversation, contact: Contact) -> None:
    """The automatic "we got your email, expect an answer by ..." reply, when the policy asks.

    At most one per conversation per agency-local day: the insert into EmailAcknowledgement is
    the claim (ack_once_per_conversation_day), and only the winner writes the outbox row.
    """
    conversation = Conversation.objects.select_related("client").get(pk=conversation.pk)
    if conversation.reply_due_at is None or not email.from_address:
        return
    policy = ResponsePolicy.for_tier(conversation.client.response_tier, channel=conversation.channel)
    if not policy.send_acknowledgement:
        return
    day = timezone.localdate(timezone.now())
    try:
        with transaction.atomic():
            ack = EmailAcknowledgement.objects.create(conversation=conversation, day=day, inbound_email=email)
    except IntegrityError:
        return
    outbound = outbox_enqueue(
        to=[email.from_address],
        template="mailin_acknowledgement",
        context={
            "contact_name": contact.name,
            "subject": conversation.subject,
            # In the agency's time zone and the contact's language: 2026년 11월 24일 (화) 오전 10:00.
            "due_text": _in_language(contact.preferred_language, conversation.reply_due_at),
        },
        language=contact.preferred_language,
        kind=OutboundEmail.Kind.ACKNOWLEDGEMENT,
        client=conversation.client,
        automatic=True,
        related={"conversation_id": conversation.pk, "inbound_email_id": email.pk},
        **reply_threading(conversation=conversation, subject=reply_subject(conversation.subject)),
    )
    ack.outbound_email = outbound
    ack.save(update_fields=["outbound_email"])


def _in_language(language: str, moment) -> str:
    return facts.format_moment_for(language, moment)


# --- the "could not import" list ----------------------------------------------------------------
def _summary(raw: bytes, parsed: ParsedEmail | None) -> str:
    if parsed is not None:
        return f"{parsed.from_name or parsed.from_address} — {parsed.subject}"[:500]
    try:
        headers = BytesHeaderParser(policy=email_policy.compat32).parsebytes(raw[:65536])
        sender = decode_header_value(str(headers.get("From", "")))
        subject = decode_header_value(str(headers.get("Subject", "")))
        return f"{sender} — {subject}"[:500]
    except Exception:
        return raw[:200].decode("utf-8", errors="replace")


def _record_failure(
    *, raw: bytes, sha256: str, source: str, error: str, parsed: ParsedEmail | None = None
) -> IngestResult:
    now = timezone.now()
    with transaction.atomic():
        failure = MailImportFailure.objects.select_for_update().filter(raw_sha256=sha256).first()
        if failure is not None:
            failure.attempts += 1
            failure.error = error
            failure.last_failed_at = now
            failure.resolved_at = None
            failure.save(update_fields=["attempts", "error", "last_failed_at", "resolved_at"])
        else:
            failure = MailImportFailure(
                source=source,
                raw_sha256=sha256,
                raw_size=len(raw),
                summary=_summary(raw, parsed).replace("\x00", ""),
                error=error.replace("\x00", ""),
                created_at=now,
                last_failed_at=now,
            )
            failure.raw.save(f"{sha256}.eml", ContentFile(raw), save=False)
            failure.save()
    return IngestResult("failed", failure=failure)


def _resolve_failure(*, sha256: str, email: InboundEmail) -> None:
    MailImportFailure.objects.filter(raw_sha256=sha256, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), inbound_email=email
    )


def mail_failure_retry(*, failure: MailImportFailure) -> IngestResult:
    """Import a failed email again from its stored bytes (the "Retry" button)."""
    with failure.raw.open("rb") as handle:
        raw = handle.read()
    return mail_ingest(raw=raw, source=failure.source)
