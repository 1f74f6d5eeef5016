"""Starting an email conversation from the CRM ("Email this contact" on the client page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Contact

from ..models import Channel, Conversation
from .messages import conversation_start
from .reply import conversation_reply


def conversation_email_contact(*, contact: Contact, author, subject: str, body: str) -> Conversation:
    """A new Email conversation with `contact`, owned by `author`, whose first message is our email.

    The email goes through the outbox as our reply (conversation_reply), so it carries the
    conversation's threading headers and reply token: the customer's answer lands in this
    conversation and starts the response clock. Nobody waits on us until then.
    """
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject or not body:
        raise ValidationError(_("Write a subject and a message."))
    if not contact.email:
        raise ValidationError(_("This contact has no email address."))
    with transaction.atomic():
        conversation = conversation_start(
            client=contact.client, contact=contact, subject=subject, channel=Channel.EMAIL, actor=author, owner=author
        )
        conversation_reply(conversation=conversation, author=author, body=body, channel=Channel.EMAIL)
    return conversation
