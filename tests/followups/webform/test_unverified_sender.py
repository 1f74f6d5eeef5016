"""Anyone can type a customer's address into the contact form: such a message is marked as from an
unverified sender wherever staff see it, is not "You" on the customer's own self-service page,
and never joins a conversation the customer already has."""

import pytest

from clients.models import TimelineEvent
from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, Conversation
from followups.portal.links import portal_token
from tests.factories import ClientFactory, ContactFactory
from tests.followups.test_webform import post

pytestmark = pytest.mark.django_db
FORGED = "please send the final invoice to billing@attacker.example"


@pytest.fixture
def emma(owner):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    return ContactFactory(client=client, name="Emma Collins", email="emma@blueharbor.example", preferred_language="en")


@pytest.fixture
def open_talk(emma):
    talk = conversation_start(client=emma.client, contact=emma, subject="Invoice", channel=Channel.EMAIL, actor=None)
    message_receive(conversation=talk, body="When is the invoice due?", channel=Channel.EMAIL)
    return talk


def test_a_forged_message_opens_its_own_conversation_marked_unverified(client, manager, emma, open_talk):
    post(client, {"email": "Emma@BlueHarbor.example", "name": "Emma Collins", "message": FORGED})
    assert open_talk.messages.count() == 1  # never joins the conversation Emma has
    forged = Conversation.objects.exclude(pk=open_talk.pk).get()
    assert forged.client == emma.client and forged.sender_unverified
    message = forged.messages.get()
    assert message.sender_unverified
    assert not open_talk.messages.get().sender_unverified
    event = TimelineEvent.objects.get(data__message_id=message.pk)
    assert "unverified sender" in event.text


def test_staff_see_the_mark_on_the_conversation_page_and_in_the_inbox(client, owner_client, manager, emma, open_talk):
    post(client, {"email": "emma@blueharbor.example", "message": FORGED})
    forged = Conversation.objects.exclude(pk=open_talk.pk).get()
    page = owner_client.get(forged.get_absolute_url()).content.decode()
    assert 'data-testid="unverified-sender"' in page and "Unverified sender" in page
    assert 'data-testid="unverified-sender"' not in owner_client.get(open_talk.get_absolute_url()).content.decode()
    inbox = owner_client.get("/inbox/").content.decode()
    row = inbox.split(f'data-conversation="{forged.pk}"', 1)[1].split("</a>", 1)[0]
    assert "Unverified sender" in row
    other = inbox.split(f'data-conversation="{open_talk.pk}"', 1)[1].split("</a>", 1)[0]
    assert "Unverified sender" not in other


def test_the_customers_own_page_does_not_call_a_forged_message_you(client, manager, emma, open_talk):
    post(client, {"email": "emma@blueharbor.example", "message": FORGED})
    client.post(f"/my/{portal_token(emma)}/write/", {"subject": "", "body": "Written by me"})
    page = client.get(f"/my/{portal_token(emma)}/").content.decode()
    forged = page.split(f'<div class="portal-message">{FORGED}', 1)[0].rsplit('data-testid="portal-message"', 1)[1]
    assert "You" not in forged and "contact form" in forged
    mine = page.split('<div class="portal-message">Written by me', 1)[0].rsplit('data-testid="portal-message"', 1)[1]
    assert "You" in mine


def test_a_reply_to_our_email_proves_the_address_for_the_inbox_row(client, manager, emma, open_talk):
    post(client, {"email": "emma@blueharbor.example", "message": FORGED})
    forged = Conversation.objects.exclude(pk=open_talk.pk).get()
    message_receive(conversation=forged, body="Yes, that was me.", channel=Channel.EMAIL)
    forged.refresh_from_db()
    assert not forged.sender_unverified  # the row no longer warns...
    assert forged.messages.order_by("id").first().sender_unverified  # ...the first message still does
