"""Unknown senders: attach a triaged email's sender to an existing client, or make them a new client."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm.outbox import OutboundEmail
from agency_crm.roles import MANAGER_GROUP
from clients.models import Client, Contact, TimelineEvent
from clients.services import client_create, contact_create
from clients.timeline import timeline_record

from ..conversations.models import Conversation, Message
from ..conversations.services import conversation_recompute_clock, conversation_start
from .models import MailboxState, UnknownSender


class NoStaffAccount(Exception):
    """There is no active staff account to own conversations of unknown senders."""


def triage_client() -> Client:
    """The client that holds conversations of unknown senders (email, web form) until staff attach
    them. Call inside a transaction: the singleton row is locked so there is one, ever."""
    MailboxState.load()  # make sure the row exists, then lock it: one triage client, ever
    state = MailboxState.objects.select_for_update().get(pk=1)
    if state.triage_client_id and Client.objects.filter(pk=state.triage_client_id).exists():
        return Client.objects.get(pk=state.triage_client_id)
    users = get_user_model().objects.filter(is_active=True).order_by("id")
    owner = users.filter(groups__name=MANAGER_GROUP).first() or users.filter(is_superuser=True).first() or users.first()
    if owner is None:
        raise NoStaffAccount("there is no active staff account to own conversations of unknown senders")
    client = Client.objects.create(
        # Stored in English and shown in the reader's language (Client.label).
        name=gettext_noop("Unknown senders (triage)"),
        status=Client.Status.PROSPECT,
        is_placeholder=True,
        account_owner=owner,
    )
    state.triage_client = client
    state.save(update_fields=["triage_client"])
    return client


def unknown_sender_open(*, subject: str, channel: str, address: str = "", name: str = "") -> Conversation:
    """A conversation in triage for a stranger on another channel (KakaoTalk), shown with the
    unknown email senders and attached the same way (conversations.hooks.on_unknown_sender)."""
    with transaction.atomic():
        conversation = conversation_start(
            client=triage_client(), contact=None, subject=subject, channel=channel, actor=None
        )
        UnknownSender.objects.create(conversation=conversation, address=address[:254], name=name[:200])
    return conversation


def unknown_sender_attach(*, conversation: Conversation, contact: Contact, actor) -> Conversation:
    """Move a triage conversation to the contact's client; its history and figures move with it."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().select_related("client").get(pk=conversation.pk)
        triage = UnknownSender.objects.select_for_update().filter(conversation=conversation).first()
        if triage is None or not triage.is_open:
            raise ValidationError(_("This conversation is not waiting for triage."))
        old_client_id = conversation.client_id
        client = contact.client
        conversation.client = client
        conversation.contact = contact
        conversation.owner = client.account_owner
        conversation.save(update_fields=["client", "contact", "owner"])
        Message.objects.filter(
            conversation=conversation, direction=Message.Direction.FROM_CUSTOMER, author_contact__isnull=True
        ).update(author_contact=contact)
        TimelineEvent.objects.filter(client_id=old_client_id, data__conversation_id=conversation.pk).update(
            client=client
        )
        OutboundEmail.objects.filter(related__conversation_id=conversation.pk).update(client=client)
        if triage.address and not contact.email:
            contact.email = triage.address
            contact.save(update_fields=["email"])
        # The new client's tier may have another policy: replay the clock with it.
        conversation_recompute_clock(conversation=conversation)
        triage.resolved_at = timezone.now()
        triage.resolved_by = actor
        triage.save(update_fields=["resolved_at", "resolved_by"])
        timeline_record(
            client=client,
            kind="conversation.sender_attached",
            summary=gettext_noop("Email from %(address)s attached to %(contact)s"),
            params={"address": triage.address or triage.name, "contact": contact.name},
            actor=actor,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk},
        )
    return conversation


def unknown_sender_create_client(
    *, conversation: Conversation, client_name: str, contact_name: str, account_owner, actor
) -> Conversation:
    """Create a client and contact from an unknown sender, then attach the conversation."""
    with transaction.atomic():
        triage = UnknownSender.objects.filter(conversation=conversation).first()
        if triage is None or not triage.is_open:
            raise ValidationError(_("This conversation is not waiting for triage."))
        client = client_create(actor=actor, name=client_name, account_owner=account_owner)
        contact = contact_create(
            client=client,
            actor=actor,
            name=contact_name or triage.name or triage.address,
            email=triage.address,
        )
        return unknown_sender_attach(conversation=conversation, contact=contact, actor=actor)
