"""Starting an email conversation from the CRM, and editing or deleting internal notes
(issue 14, point 13)."""

import pytest
from django.test import Client as Browser

from agency_crm.outbox import OutboundEmail
from clients.models import TimelineEvent
from followups.conversations.services import note_add
from followups.models import Channel, Conversation, InternalNote, Message
from tests.followups.factories import ClientFactory, ContactFactory, ConversationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(owner):
    client = ClientFactory(account_owner=owner, name="Hanbit Logistics")
    return ContactFactory(client=client, name="Kim Minji", email="minji@hanbit.example", preferred_language="ko")


def test_email_this_contact_starts_an_email_conversation_and_sends_our_message(owner_client, owner, contact):
    page = owner_client.get(f"/contacts/{contact.pk}/email/")
    assert page.status_code == 200 and "minji@hanbit.example" in page.content.decode()
    response = owner_client.post(
        f"/contacts/{contact.pk}/email/", {"subject": "Your maintenance renewal", "body": "Hello Minji,\n\nShall we?"}
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == conversation.get_absolute_url()
    assert (conversation.channel, conversation.contact, conversation.owner) == (Channel.EMAIL, contact, owner)
    assert conversation.subject == "Your maintenance renewal"
    # Our message, nobody waiting on us: the customer's answer starts the clock.
    assert conversation.status == Conversation.Status.WAITING_ON_CUSTOMER
    message = Message.objects.get(conversation=conversation)
    assert (message.direction, message.channel, message.body) == ("out", "email", "Hello Minji,\n\nShall we?")
    email = OutboundEmail.objects.get()
    assert email.to == ["minji@hanbit.example"] and "Your maintenance renewal" in email.subject
    assert not email.subject.startswith("Re:"), "the first email of a conversation we start is no reply"
    assert email.kind == OutboundEmail.Kind.REPLY and email.related["conversation_id"] == conversation.pk
    kinds = set(TimelineEvent.objects.filter(client=contact.client).values_list("kind", flat=True))
    assert {"conversation.started", "message.replied"} <= kinds


def test_subject_and_body_are_required(owner_client, contact):
    response = owner_client.post(f"/contacts/{contact.pk}/email/", {"subject": " ", "body": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"subject", "body"}
    assert not Conversation.objects.exists() and not OutboundEmail.objects.exists()


def test_a_contact_without_email_or_of_an_archived_client_cannot_be_emailed(owner_client, owner):
    no_email = ContactFactory(client=ClientFactory(account_owner=owner), email="")
    archived = ContactFactory(client=ClientFactory(account_owner=owner, archived_at="2026-01-01T00:00Z"))
    assert owner_client.get(f"/contacts/{no_email.pk}/email/").status_code == 404
    assert owner_client.post(f"/contacts/{archived.pk}/email/", {"subject": "x", "body": "y"}).status_code == 404
    assert not OutboundEmail.objects.exists()


@pytest.fixture
def conversation(owner, contact):
    return ConversationFactory(client=contact.client, contact=contact, owner=owner, subject="Login bug")


def test_the_author_edits_an_internal_note_audited_on_the_timeline(owner_client, owner, conversation):
    note = note_add(conversation=conversation, author=owner, body="Customer is on iOS 16")
    response = owner_client.post(f"/notes/{note.pk}/edit/", {"body": "Customer is on iOS 17"})
    assert response.status_code == 302 and response["Location"] == conversation.get_absolute_url()
    note.refresh_from_db()
    assert note.body == "Customer is on iOS 17"
    event = TimelineEvent.objects.get(kind="conversation.note_edited")
    assert event.actor == owner
    assert event.data["before"] == "Customer is on iOS 16" and event.data["after"] == "Customer is on iOS 17"
    assert TimelineEvent.objects.get(kind="conversation.note").body == "Customer is on iOS 17"


def as_user(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_the_author_or_a_manager_deletes_an_internal_note(owner, other_staff, manager, conversation):
    other_client, manager_client = as_user(other_staff), as_user(manager)
    mine = note_add(conversation=conversation, author=owner, body="Delete me")
    assert other_client.post(f"/notes/{mine.pk}/delete/").status_code == 403
    assert other_client.post(f"/notes/{mine.pk}/edit/", {"body": "x"}).status_code == 403
    assert InternalNote.objects.filter(pk=mine.pk).exists()
    assert manager_client.post(f"/notes/{mine.pk}/delete/").status_code == 302
    assert not InternalNote.objects.filter(pk=mine.pk).exists()
    event = TimelineEvent.objects.get(kind="conversation.note_deleted")
    assert event.body == "Delete me" and event.actor.username == "boss"


def test_the_conversation_page_offers_edit_and_delete_to_the_author_only(owner, other_staff, conversation):
    owner_client, other_client = as_user(owner), as_user(other_staff)
    note = note_add(conversation=conversation, author=owner, body="Mine")
    url = conversation.get_absolute_url()
    assert f'href="/notes/{note.pk}/edit/"' in owner_client.get(url).content.decode()
    assert f"/notes/{note.pk}/edit/" not in other_client.get(url).content.decode()
