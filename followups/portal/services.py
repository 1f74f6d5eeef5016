"""What a customer does on the self-service page: ask for a link, write, and reply.

A message written here is a customer message on the Web form channel: it starts or continues the
response clock exactly like an email, and the conversation's owner is told.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agency_crm.outbox import OutboundEmail, outbox_enqueue
from clients.models import Contact
from clients.timeline import timeline_record

from ..conversations.models import Channel, Conversation, Message
from ..conversations.services import conversation_follow_merges, conversation_start, message_receive
from ..conversations.subjects import short_subject
from ..reminders.services import notify
from .links import portal_may_use, portal_url

MAX_BODY = 10_000
MAX_LINKS_PER_REQUEST = 5


def portal_contacts_for(email: str) -> list[Contact]:
    """The contacts an address may open the page as (one per client at most)."""
    email = (email or "").strip().lower()
    if not email:
        return []
    contacts = (
        Contact.objects.alias(email_lower=Lower("email"))
        .filter(email_lower=email, portal_access=True)
        .select_related("client")
        .order_by("client_id", "id")
    )
    seen: dict[int, Contact] = {}
    for contact in contacts[:50]:
        if portal_may_use(contact):
            seen.setdefault(contact.client_id, contact)
    return list(seen.values())[:MAX_LINKS_PER_REQUEST]


def _link_email(contact: Contact) -> None:
    outbox_enqueue(
        to=[contact.email],
        subject=gettext_lazy("Your link to your requests and proposals"),
        template="portal_link",
        context={"contact_name": contact.name, "client_name": contact.client.name, "url": portal_url(contact)},
        language=contact.preferred_language,
        kind=OutboundEmail.Kind.SELF_SERVICE_LINK,
        client=contact.client,
        automatic=True,
        related={"contact_id": contact.pk},
    )


def portal_link_request(*, email: str) -> int:
    """Email a magic link to each contact with this address; returns how many (never shown to the
    visitor, whose page reads the same either way)."""
    contacts = portal_contacts_for(email)
    with transaction.atomic():
        for contact in contacts:
            _link_email(contact)
    return len(contacts)


def portal_link_send(*, contact: Contact, actor) -> None:
    """A colleague sends the contact a new link to their page (staff never see one themselves),
    and the client's timeline says who did."""
    if not portal_may_use(contact):
        raise ValidationError(_("This contact may not use the self-service page (no address, or access is off)."))
    with transaction.atomic():
        _link_email(contact)
        timeline_record(
            client=contact.client,
            kind="portal.link_sent",
            actor=actor,
            summary=gettext_noop("Self-service link sent to %(name)s"),
            params={"name": contact.name},
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your message.")})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("A message can be at most %(count)d characters.") % {"count": MAX_BODY}})
    return body


def _tell_owner(*, conversation: Conversation, contact: Contact, body: str) -> None:
    if conversation.owner_id is None:
        return
    notify(
        recipients=[conversation.owner],
        kind="conversation.customer_wrote",
        title=gettext_noop("%(name)s wrote through the self-service page: %(subject)s"),
        params={"name": contact.name, "subject": conversation.subject},
        body=body[:500],
        conversation=conversation,
    )


def portal_write(*, contact: Contact, subject: str, body: str) -> Message:
    """A new conversation started by the customer on the self-service page."""
    body = _clean_body(body)
    subject = " ".join((subject or "").split())[:200] or short_subject(body)
    with transaction.atomic():
        conversation = conversation_start(
            client=contact.client, contact=contact, subject=subject, channel=Channel.WEB_FORM, actor=None
        )
        message = message_receive(conversation=conversation, body=body, channel=Channel.WEB_FORM, contact=contact)
        _tell_owner(conversation=message.conversation, contact=contact, body=body)
    return message


def portal_reply(*, contact: Contact, conversation: Conversation, body: str) -> Message:
    """The customer's reply in one of their client's conversations (the caller checked the client)."""
    if conversation.client_id != contact.client_id:
        raise ValidationError(_("This conversation belongs to another client."))
    body = _clean_body(body)
    # A page opened before staff merged the conversation answers in the one it became.
    conversation = conversation_follow_merges(conversation)
    with transaction.atomic():
        message = message_receive(conversation=conversation, body=body, channel=Channel.WEB_FORM, contact=contact)
        _tell_owner(conversation=message.conversation, contact=contact, body=body)
    return message
