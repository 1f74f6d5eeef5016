"""Our replies: by email through the outbox (the composer's To, Cc, subject and files), or
recorded for another channel; and the inbox's quick log of a call or message."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm.outbox import OutboundEmail, outbox_check_attachments, outbox_enqueue, outbox_personal
from agency_crm.outbox.signature import portal_link
from agency_crm.preferences.services import preferences_for
from clients.models import Contact
from clients.timeline import timeline_record

from .. import hooks
from ..clock import conversation_recompute_clock
from ..models import Channel, Conversation, Message
from ..placeholders import PORTAL_LINK
from ..subjects import reply_subject, short_subject
from ..threading import reply_threading
from ..webhook_data import message_emit
from .messages import (
    _check_not_future,
    _first_message_at,
    _wait_figures,
    conversation_lock,
    conversation_start,
    message_receive,
    message_timeline_record,
)


def reply_email(
    *,
    conversation: Conversation,
    author,
    body: str,
    to: list | None = None,
    cc: list[str] | None = None,
    subject: str | None = None,
    first: bool = False,
    preview: bool = False,
    language: str = "",
) -> dict:
    """The outbox keyword arguments of our reply by email (the composer's preview renders the
    same): To the chosen contacts of the conversation's client (default its contact), in the
    first one's language, the subject with its reply token and the thread's headers."""
    recipients = list(to or ([conversation.contact] if conversation.contact_id else []))
    if any(c.client_id != conversation.client_id for c in recipients) or (
        conversation.client.is_placeholder and any(c.pk != conversation.contact_id for c in recipients)
    ):
        raise ValidationError({"to": _("Send only to contacts of this conversation's client.")})
    addresses = [c.email for c in recipients if c.email]
    if not addresses:
        raise ValidationError(
            {"channel": _("This conversation's contact has no email address; log the reply with another channel.")}
        )
    subject = " ".join((subject or "").split()) or (
        conversation.subject if first else reply_subject(conversation.subject)
    )
    language = language or (conversation.contact or recipients[0]).preferred_language
    if PORTAL_LINK in body:
        link = ""
        if outbox_personal(to=addresses, cc=cc):
            link = portal_link(kind=OutboundEmail.Kind.REPLY, client=conversation.client, to=addresses)
        if not link:
            raise _personal_link_error()
        if preview:
            with translation.override(language):
                link = _("[self-service link]")
        body = body.replace(PORTAL_LINK, link)
    return {
        "to": addresses,
        "cc": list(cc or []),
        # In-Reply-To/References, the reply token in subject and Reply-To (mailin).
        **reply_threading(conversation=conversation, subject=subject),
        "template": "message",
        # The sender's own signature (their /settings/) above the agency's.
        "context": {"body": body, "personal_signature": preferences_for(author).signature},
        "language": language,
        "kind": OutboundEmail.Kind.REPLY,
        "client": conversation.client,
    }


def _personal_link_error() -> ValidationError:
    return ValidationError(
        {
            "body": _(
                "%(placeholder)s is a personal link: send it by email to one contact who may use the "
                "self-service page, without Cc, or remove it."
            )
            % {"placeholder": PORTAL_LINK}
        }
    )


def conversation_reply(
    *,
    conversation: Conversation,
    author,
    body: str,
    channel: str,
    occurred_at: dt.datetime | None = None,
    to: list | None = None,
    cc: list[str] | None = None,
    subject: str | None = None,
    attachments: list | None = None,
    language: str = "",
    logged: bool = False,
) -> Message:
    """Our reply (email, logged call, KakaoTalk...): answers every customer message before it.

    A reply by email is also written to the outbox (agency_crm.outbox) in this transaction, with
    its files, and delivered by a Celery task after the commit; other channels only record what
    happened. `to` (contacts of the client), `cc`, `subject` and `attachments` are the composer's.
    A reply `logged` after the fact (the quick log, or a time given in "When") only records what
    staff already sent themselves: no channel's room sends it again.
    """
    logged = logged or occurred_at is not None
    occurred_at = occurred_at or timezone.now()
    _check_not_future(occurred_at)
    if channel != Channel.EMAIL and PORTAL_LINK in body:
        raise _personal_link_error()
    with transaction.atomic():
        conversation = conversation_lock(conversation)
        first = _first_message_at(conversation)
        email = None
        if channel == Channel.EMAIL:
            email = reply_email(
                conversation=conversation,
                author=author,
                body=body,
                to=to,
                cc=cc,
                subject=subject,
                first=first is None,
                language=language,
            )
            try:
                outbox_check_attachments(attachments or [])
            except ValidationError as error:
                raise ValidationError({"attachments": error.messages}) from None
        if first is not None and occurred_at < first:
            raise ValidationError({"occurred_at": _("A reply cannot happen before the conversation's first message.")})
        message = Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.FROM_US,
            channel=channel,
            author_user=author,
            body=body,
            occurred_at=occurred_at,
            recorded_by=author,
        )
        if email is not None:
            outbox_enqueue(
                **email,
                related={"conversation_id": conversation.pk, "message_id": message.pk},
                attachments=attachments,
            )
        # Besides email only a KakaoTalk chat carries files, and a reply logged after the fact sends nothing.
        if attachments and channel != Channel.EMAIL and (logged or channel != Channel.KAKAO):
            raise ValidationError({"attachments": _("Files are sent by email only: choose Email, or remove them.")})
        if not logged:
            # Another channel's room may send it (a KakaoTalk chat, its files) or refuse it (the chat ended).
            hooks.reply_recorded(
                conversation=conversation,
                message=message,
                author=author,
                attachments=attachments if channel != Channel.EMAIL else None,
            )
        waits = conversation_recompute_clock(conversation=conversation)
        answered = next((w for w in waits if w.answered_by_id == message.pk), None)
        url = conversation.get_absolute_url()
        message_timeline_record(
            message,
            kind="message.replied",
            summary=gettext_noop("Reply by %(name)s (%(channel)s): %(subject)s"),
            actor=author,
        )
        if answered is not None:
            hours = answered.business_seconds / 3600
            timeline_record(
                client=conversation.client,
                kind="wait.answered",
                summary=(
                    gettext_noop("Answered within target after %(hours).1f business hours")
                    if answered.met_target
                    else gettext_noop("Answered late, after %(hours).1f business hours")
                ),
                params={"hours": round(hours, 2)},
                actor=author,
                occurred_at=occurred_at,
                url=url,
                data={"conversation_id": conversation.pk, **_wait_figures(answered)},
            )
        message_emit(message)
    return message


def conversation_log(
    *,
    contact: Contact,
    direction: str,
    channel: str,
    body: str,
    actor,
    occurred_at: dt.datetime | None = None,
    subject: str = "",
) -> Message:
    """The inbox's quick form: log a call or KakaoTalk message with a contact.

    Continues the contact's latest conversation that is not closed, or starts one.
    """
    with transaction.atomic():
        conversation = (
            Conversation.objects.filter(contact=contact)
            .exclude(status=Conversation.Status.CLOSED)
            .order_by("-last_message_at", "-id")
            .first()
        )
        if conversation is None:
            conversation = conversation_start(
                client=contact.client,
                contact=contact,
                subject=short_subject(subject or body),
                channel=channel,
                actor=actor,
            )
        if direction == Message.Direction.FROM_CUSTOMER:
            return message_receive(
                conversation=conversation,
                body=body,
                channel=channel,
                occurred_at=occurred_at,
                contact=contact,
                recorded_by=actor,
            )
        return conversation_reply(
            conversation=conversation, author=actor, body=body, channel=channel, occurred_at=occurred_at, logged=True
        )
