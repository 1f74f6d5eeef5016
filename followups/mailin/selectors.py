"""Reads for the inbound email pages; each is a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from clients.models import Contact

from .models import InboundAttachment, InboundEmail, MailboxState, MailImportFailure, UnknownSender

# The received-mail page's ?show= filter: only these values are accepted.
MAIL_FILTERS = ("customer", "automatic", "unthreaded")


def inbound_list(*, show: str = "") -> QuerySet[InboundEmail]:
    """Newest first, with conversation and client joined and the attachment count annotated."""
    emails = (
        InboundEmail.objects.select_related("conversation__client")
        .annotate(attachment_count=Count("attachments"))
        .defer("text_body", "html_body")
        .order_by("-received_at", "-id")
    )
    if show == "customer":
        emails = emails.filter(automatic_reason="")
    elif show == "automatic":
        emails = emails.exclude(automatic_reason="")
    elif show == "unthreaded":
        emails = emails.filter(conversation__isnull=True)
    return emails


def inbound_detail() -> QuerySet[InboundEmail]:
    return InboundEmail.objects.select_related("conversation__client").prefetch_related(
        Prefetch("attachments", queryset=InboundAttachment.objects.order_by("id"))
    )


def failure_list(*, include_resolved: bool = False) -> QuerySet[MailImportFailure]:
    failures = MailImportFailure.objects.select_related("inbound_email").order_by("-last_failed_at", "-id")
    if not include_resolved:
        failures = failures.filter(resolved_at__isnull=True)
    return failures


def conversation_emails(*, conversation_id: int) -> list[InboundEmail]:
    """The conversation page's email panel (two queries: emails, attachments)."""
    return list(
        InboundEmail.objects.filter(conversation_id=conversation_id)
        .defer("text_body")
        .prefetch_related(Prefetch("attachments", queryset=InboundAttachment.objects.order_by("id")))
        .order_by("received_at", "id")
    )


def open_triage(*, conversation_id: int) -> UnknownSender | None:
    return UnknownSender.objects.filter(conversation_id=conversation_id, resolved_at__isnull=True).first()


def open_unknown_senders() -> QuerySet[UnknownSender]:
    """The triage page: senders still to attach, newest first, with their conversation (one query a page)."""
    return (
        UnknownSender.objects.filter(resolved_at__isnull=True)
        .select_related("conversation__owner")
        .order_by("-created_at", "-id")
    )


def triage_contacts() -> QuerySet[Contact]:
    return Contact.objects.of_customers().select_related("client").order_by("client__name", "name", "id")


def imap_poll_age_seconds(now) -> float | None:
    """Seconds since beat last polled the mailbox, whatever the outcome (/healthz). None when no
    mailbox is configured or it was never polled."""
    from .mailbox import mailbox_connected

    if not mailbox_connected():
        return None
    last = MailboxState.objects.filter(pk=1).values_list("last_poll_at", flat=True).first()
    return None if last is None else (now - last).total_seconds()
