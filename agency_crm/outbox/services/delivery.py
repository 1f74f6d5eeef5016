"""Outbox services: write an email in the caller's transaction, deliver it, retry it, sweep.

Delivery is at-least-once. A row is claimed (pending -> sending) with a conditional update before
the SMTP conversation, and marked sent right after the server accepted it. If the worker dies in
between (SMTP accepted, database not yet updated), the row stays "sending" until its lease ends and
is then sent again with the same stored Message-ID, which receivers (and our own IMAP ingestion)
use to drop the duplicate. We chose this over at-most-once because a lost customer reply is worse
than a duplicate one. Outside that crash window every row is sent exactly once: two deliveries or
sweeps of the same row race for the claim and only one wins.

Temporary failures (a 4xx answer, a refused connection, a timeout, an unknown host) keep the row
pending, retried with exponential backoff capped at OUTBOX_RETRY_MAX_SECONDS, until
OUTBOX_GIVE_UP_AFTER seconds (three days by default) after its first attempt; the last retry falls
exactly on that deadline. So an SMTP outage shorter than that delays mail but loses none: when the
server is back, the next retry of each row (at most one capped backoff later) delivers it. Only a
permanent refusal (5xx), a message that cannot be built, or the deadline fails a row. A failed
row with a client is on that client's timeline; for one without (a reminder digest, the weekly
review) the handlers registered in agency_crm.outbox.failures are told (followups raises a notice
to every manager).
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from .. import failures, transports
from ..models import OutboundEmail
from ..transports import PermanentDeliveryError, TemporaryDeliveryError
from .compose import outbox_schedule_delivery

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status


__all__ = ["PermanentDeliveryError", "TemporaryDeliveryError"]


# --- delivery ---------------------------------------------------------------------------------
def _build_message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    headers = {"Message-ID": email.message_id, **email.headers}
    if email.in_reply_to:
        headers["In-Reply-To"] = email.in_reply_to
    if email.references:
        headers["References"] = " ".join(email.references)
    headers["Content-Language"] = email.language
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
        connection=connection,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments.all():
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.content_type)
    return message


def _smtp_code_is_temporary(code: int | None) -> bool:
    return code is not None and 400 <= int(code) < 500


def _send(email: OutboundEmail) -> None:
    """One SMTP conversation (or the row's registered transport, agency_crm.outbox.transports);
    raises TemporaryDeliveryError or PermanentDeliveryError."""
    if email.transport:
        transports.transport_send(email)
        return
    try:
        connection = get_connection(fail_silently=False)
        sent = _build_message(email, connection).send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        detail = "; ".join(f"{rcpt}: {code} {msg!r}" for rcpt, (code, msg) in exc.recipients.items())
        if codes and all(_smtp_code_is_temporary(c) for c in codes):
            raise TemporaryDeliveryError(f"recipients refused: {detail}") from exc
        raise PermanentDeliveryError(f"recipients refused: {detail}") from exc
    except smtplib.SMTPAuthenticationError as exc:
        # Our configuration, not the message: keep retrying so fixing the settings delivers it.
        raise TemporaryDeliveryError(f"SMTP authentication failed: {exc.smtp_code} {exc.smtp_error!r}") from exc
    except smtplib.SMTPResponseException as exc:
        text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        if _smtp_code_is_temporary(exc.smtp_code):
            raise TemporaryDeliveryError(text) from exc
        if 500 <= int(exc.smtp_code) < 600:
            raise PermanentDeliveryError(text) from exc
        raise TemporaryDeliveryError(text) from exc
    except (smtplib.SMTPException, OSError) as exc:
        # Connection refused, reset, timed out, server disconnected: try again later.
        raise TemporaryDeliveryError(f"{type(exc).__name__}: {exc}") from exc
    except (ValueError, TypeError, UnicodeError) as exc:
        raise PermanentDeliveryError(f"could not build the message: {type(exc).__name__}: {exc}") from exc
    if sent != 1:
        raise TemporaryDeliveryError("the email backend reported nothing sent")


def _backoff_seconds(attempts: int) -> int:
    # Capped before the power grows: the 80th attempt of a three-day outage is one hour away too.
    doublings = min(max(attempts - 1, 0), 32)
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2**doublings, settings.OUTBOX_RETRY_MAX_SECONDS)


def _duration(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"


def outbox_claim(*, email_id: int) -> OutboundEmail | None:
    """Claim a due pending row for one delivery attempt (pending -> sending), or None.

    The conditional update is the lock: of two workers or sweeps racing for a row, one wins.
    """
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        first_attempt_at=Coalesce(F("first_attempt_at"), now),
    )
    if not claimed:
        return None
    return OutboundEmail.objects.select_related("client").get(pk=email_id)


def outbox_deliver(*, email_id: int) -> tuple[str, float | None]:
    """Try to deliver one email. Returns (outcome, retry_in_seconds).

    outcome is "sent", "retry" (retry_in_seconds says when), "failed", or "skipped" when the row
    is not due, already claimed, already sent or failed.
    """
    email = outbox_claim(email_id=email_id)
    if email is None:
        return "skipped", None
    # Only the attempt that holds the claim may finish it (a stale worker after a lease expiry
    # cannot overwrite a newer attempt's outcome).
    mine = OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING, attempts=email.attempts)
    try:
        _send(email)
    except TemporaryDeliveryError as exc:
        now = timezone.now()
        give_up_at = email.give_up_at
        if now >= give_up_at:
            spent = _duration((now - email.first_attempt_at).total_seconds())
            _mark_failed(email, mine, f"{exc} (gave up after {email.attempts} attempts over {spent})")
            return "failed", None
        # The last retry falls on the deadline itself, not up to a backoff after it.
        next_attempt_at = min(now + timedelta(seconds=_backoff_seconds(email.attempts)), give_up_at)
        delay = (next_attempt_at - now).total_seconds()
        mine.update(status=Status.PENDING, next_attempt_at=next_attempt_at, last_error=str(exc)[:2000])
        logger.info("outbox: email %s temporary failure, retry in %ss: %s", email.pk, delay, exc)
        return "retry", delay
    except PermanentDeliveryError as exc:
        _mark_failed(email, mine, str(exc))
        return "failed", None
    mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent", None


def _mark_failed(email: OutboundEmail, mine, error: str) -> None:
    from clients.timeline import timeline_record

    with transaction.atomic():
        if not mine.update(status=Status.FAILED, last_error=error[:2000]):
            return
        logger.warning("outbox: email %s failed: %s", email.pk, error)
        email.status, email.last_error = Status.FAILED, error[:2000]
        if email.client_id is None:
            # Nobody's timeline shows it (a reminder digest, the weekly review): tell the app.
            failures.internal_email_failed(email)
        else:
            timeline_record(
                client=email.client,
                kind="email.failed",
                summary=gettext_noop("Email could not be delivered: %(subject)s"),
                params={"subject": email.subject},
                body=error[:2000],
                url=_detail_url(email.pk),
                data={"outbound_email_id": email.pk, "to": email.to, "kind": email.kind, **email.related},
            )


def _detail_url(email_id: int) -> str:
    from django.urls import reverse

    return reverse("outbox_detail", args=[email_id])


# --- manual retry and the sweep ---------------------------------------------------------------
@transaction.atomic
def outbox_retry(*, email: OutboundEmail, actor=None) -> bool:
    """Send a failed email again (a staff member pressed "Retry"). False if it was not failed."""
    retried = OutboundEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, interrupted_attempts=0, first_attempt_at=None, next_attempt_at=timezone.now()
    )
    if not retried:
        return False
    if email.client_id:
        from clients.timeline import timeline_record

        timeline_record(
            client=email.client,
            kind="email.retried",
            summary=gettext_noop("Email delivery retried: %(subject)s"),
            params={"subject": email.subject},
            actor=actor,
            url=_detail_url(email.pk),
            data={"outbound_email_id": email.pk},
        )
    outbox_schedule_delivery(email_id=email.pk)
    return True


def outbox_release_stale_claims(*, now=None) -> int:
    """Return rows stuck in "sending" beyond the lease (their worker died) to pending.

    A row whose sending was cut off OUTBOX_MAX_ATTEMPTS times this way (say, it crashes the worker
    every time) ends as failed instead, so it cannot loop forever.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    stale = OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    last_chance = settings.OUTBOX_MAX_ATTEMPTS - 1
    for email in stale.filter(interrupted_attempts__gte=last_chance).select_related("client"):
        mine = OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING, attempts=email.attempts)
        OutboundEmail.objects.filter(pk=email.pk).update(interrupted_attempts=F("interrupted_attempts") + 1)
        _mark_failed(email, mine, f"sending stopped {email.interrupted_attempts + 1} times without an answer; gave up")
    return stale.update(
        status=Status.PENDING,
        next_attempt_at=now,
        interrupted_attempts=F("interrupted_attempts") + 1,
        last_error="the worker sending this email stopped; sending again",
    )


def outbox_due_ids(*, limit: int = 500, now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
