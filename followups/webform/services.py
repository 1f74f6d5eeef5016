"""The contact form's submissions: receive (kept whatever happens), accept, release.

Accepting a submission matches a contact by email (the same rule as inbound email), or, for a
visitor nobody knows, creates a prospect client and contact or puts the conversation in triage,
as a manager chose (WebFormSettings); then it opens a conversation on the Web form channel with
the customer's message (the response clock starts), tells its owner (or the managers, for
triage) and acknowledges it with the expected answer time, in the visitor's language.

Its sender is never proven (anyone can type any address): the conversation and message are
marked unverified, and a message never joins a conversation the contact already has.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.roles import active_managers
from clients.models import Client, Contact
from clients.services import client_create, contact_create
from clients.timeline import timeline_record

from ..conversations.models import Channel, Conversation
from ..conversations.services import conversation_start, message_receive
from ..conversations.subjects import first_sentence_subject
from ..conversations.threading import reply_threading
from ..mailin.ingest import contact_for_address
from ..mailin.models import UnknownSender
from ..mailin.triage import triage_client
from ..reminders.services import notify
from .models import WebAttachment, WebFormSettings, WebSubmission

logger = logging.getLogger(__name__)


def submission_receive(
    *,
    data: dict,
    files: list[UploadedFile] = (),
    language: str,
    ip: str | None = None,
    user_agent: str = "",
    embedded: bool = False,
    filter_reason: str = "",
) -> WebSubmission:
    """Keep the post, then accept it unless a spam filter caught it."""
    with transaction.atomic():
        submission = WebSubmission.objects.create(
            status=WebSubmission.Status.FILTERED if filter_reason else WebSubmission.Status.ACCEPTED,
            filter_reason=filter_reason,
            name=data["name"],
            email=data["email"].strip(),
            phone=data.get("phone", ""),
            company=data.get("company", ""),
            message=data["message"],
            consent=bool(data.get("consent")),
            language=language,
            ip=ip or None,
            user_agent=(user_agent or "")[:300],
            embedded=embedded,
        )
        for upload in files:
            attachment = WebAttachment(
                submission=submission,
                filename=(upload.name or "file")[-200:],
                content_type=(upload.content_type or "application/octet-stream")[:100],
                size=upload.size,
            )
            attachment.file.save(attachment.filename, upload, save=False)
            attachment.save()
        if not filter_reason:
            try:
                with transaction.atomic():
                    _accept(submission)
            except Exception:
                # Kept, never lost: a manager sees it in the filtered list and releases it again.
                logger.exception("webform: could not accept submission %s", submission.pk)
                submission.status = WebSubmission.Status.FILTERED
                submission.filter_reason = WebSubmission.Reason.ERROR
                submission.save(update_fields=["status", "filter_reason"])
    return submission


@transaction.atomic
def submission_release(*, submission: WebSubmission, actor) -> WebSubmission:
    """A manager lets a filtered submission through: it is accepted as if it had passed."""
    submission = WebSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != WebSubmission.Status.FILTERED:
        raise ValidationError(_("This submission is not in the filtered list."))
    submission.status = WebSubmission.Status.RELEASED
    submission.released_at = timezone.now()
    submission.released_by = actor
    submission.save(update_fields=["status", "released_at", "released_by"])
    _accept(submission)
    return submission


def _owner_for_new_visitors():
    # The triage client's owner (a manager) answers visitors nobody knows yet.
    return triage_client().account_owner


def _contact_for(submission: WebSubmission) -> tuple[Contact | None, Client]:
    contact = contact_for_address(submission.email, None)
    if contact is not None and not contact.client.is_placeholder:
        return contact, contact.client
    if WebFormSettings.load().unknown_visitors == WebFormSettings.UnknownVisitors.TRIAGE:
        return None, triage_client()
    client = client_create(
        actor=None,
        name=(submission.company or submission.name)[:200],
        kind=Client.Kind.COMPANY if submission.company else Client.Kind.INDIVIDUAL,
        status=Client.Status.PROSPECT,
        account_owner=_owner_for_new_visitors(),
    )
    contact = contact_create(
        client=client,
        actor=None,
        name=submission.name,
        email=submission.email,
        phone=submission.phone,
        preferred_language=submission.language,
    )
    return contact, client


def _accept(submission: WebSubmission) -> None:
    contact, client = _contact_for(submission)
    # Always a conversation of its own, marked: anyone can type a customer's address, so the
    # message never joins what the customer has open and staff see it was not proven.
    conversation = conversation_start(
        client=client,
        contact=contact,
        subject=first_sentence_subject(submission.message),
        channel=Channel.WEB_FORM,
        actor=None,
        sender_unverified=True,
    )
    if contact is None:
        UnknownSender.objects.create(conversation=conversation, address=submission.email, name=submission.name)
    message = message_receive(
        conversation=conversation,
        body=submission.message,
        channel=Channel.WEB_FORM,
        occurred_at=submission.created_at,
        contact=contact,
        sender_unverified=True,
    )
    submission.conversation = conversation
    submission.customer_message = message
    submission.save(update_fields=["conversation", "customer_message"])
    if submission.attachments.exists():
        timeline_record(
            client=client,
            kind="webform.attachments",
            summary=gettext_noop("Files sent with the contact form: %(files)s"),
            params={"files": facts.listing(list(submission.attachments.values_list("filename", flat=True)))},
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "web_submission_id": submission.pk},
        )
    _tell_staff(submission=submission, conversation=conversation)
    _acknowledge(submission=submission, conversation=conversation, contact=contact)


def _tell_staff(*, submission: WebSubmission, conversation: Conversation) -> None:
    """The new lead's notice, at once in the bell (and by email as each person chose in
    /settings/): to the conversation's owner, or to every manager while it waits in triage."""
    if conversation.client.is_placeholder or conversation.owner_id is None:
        recipients = active_managers()
    else:
        recipients = [conversation.owner]
    notify(
        recipients=recipients,
        kind="conversation.customer_wrote",
        title=gettext_noop("New message through the contact form from %(name)s: %(subject)s"),
        params={"name": submission.name, "subject": conversation.subject},
        body=submission.message[:500],
        conversation=conversation,
    )


def _acknowledge(*, submission: WebSubmission, conversation: Conversation, contact: Contact | None) -> None:
    """The visitor's receipt: that we got the message and by when we answer (the business clock),
    in their language, with the self-service link the signature adds for a contact who may use
    it. It repeats neither the visitor's words nor their name, not even in the subject: anyone
    can type any address, and the agency's address must not carry their text to it."""
    conversation = Conversation.objects.select_related("client").get(pk=conversation.pk)
    language = contact.preferred_language if contact else submission.language
    context = {
        "received_at": facts.format_moment_for(language, submission.created_at),
        "due_text": facts.format_moment_for(language, conversation.reply_due_at) if conversation.reply_due_at else "",
    }
    with translation.override(language):
        subject = _("We received your message")
    outbox_enqueue(
        to=[submission.email],
        template="webform_acknowledgement",
        context=context,
        language=language,
        kind=OutboundEmail.Kind.ACKNOWLEDGEMENT,
        client=conversation.client,
        automatic=True,
        related={"conversation_id": conversation.pk, "web_submission_id": submission.pk},
        **reply_threading(conversation=conversation, subject=subject),
    )


def submissions_follow_messages(*, source, target, message_ids: list[int], whole: bool) -> None:
    """`hooks.on_moved`: a contact-form submission follows its message (its panel on the
    conversation page), and on a merge every submission of the source follows."""
    submissions = WebSubmission.objects.filter(conversation=source)
    if not whole:
        submissions = submissions.filter(customer_message_id__in=message_ids)
    submissions.update(conversation=target)
