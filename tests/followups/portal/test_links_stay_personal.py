"""A contact's self-service link and a proposal's link are hidden wherever staff or another
customer would see them (the outbox, received mail, quoted text in a conversation, a colleague's
self-service page, a filled saved reply); a staff member who needs to help sends a new link, and
the timeline says so."""

import re

import pytest
from django.urls import reverse

from agency_crm.outbox import OutboundEmail
from clients.models import TimelineEvent
from followups.answers.services import saved_reply_create
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from followups.models import Channel, Conversation
from followups.portal.links import portal_url
from inquiries.services import proposal_send
from tests.factories import ClientFactory, ContactFactory
from tests.followups.mailin_support import build_email
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/(my|p)/[A-Za-z0-9_\-:.]{30,}/")


@pytest.fixture
def emma(owner):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    ContactFactory(client=client, name="Tom Park", email="tom@blue.example", preferred_language="en")
    return ContactFactory(client=client, name="Emma Collins", email="emma@blue.example", preferred_language="en")


@pytest.fixture
def talk(emma, owner):
    conversation = conversation_start(client=emma.client, contact=emma, subject="Invoice", channel="email", actor=None)
    message_receive(conversation=conversation, body="Where is the invoice?", channel=Channel.EMAIL)
    conversation_reply(conversation=conversation, author=owner, body="Attached.", channel="email")
    return Conversation.objects.get(pk=conversation.pk)


def test_the_outbox_hides_the_self_service_link_from_staff(owner_client, manager_client, talk):
    email = OutboundEmail.objects.get(related__conversation_id=talk.pk)
    assert TOKEN.search(email.text_body)  # the customer needs it
    for http in (owner_client, manager_client):
        for name in ("outbox_detail", "outbox_html"):
            page = http.get(reverse(name, args=[email.pk])).content.decode()
            assert not TOKEN.search(page), name
            assert "[self-service link hidden]" in page


def test_a_quoted_self_service_link_is_hidden_in_the_conversation_the_mail_page_and_a_colleagues_page(
    client, owner_client, settings, tmp_path, emma, talk
):
    settings.MEDIA_ROOT = tmp_path
    link = portal_url(emma)
    raw = build_email(
        from_="emma@blue.example",
        to="crm@localhost",
        subject="Re: Invoice",
        body=f"Thanks!\n\n> Your requests: {link}\n",
        html=f'<p>Thanks!</p><blockquote><a href="{link}">your page</a></blockquote>',
    )
    inbound = mail_ingest(raw=raw.as_bytes(), source=MailSource.IMAP).email
    mail_page = owner_client.get(reverse("followups:mail_detail", args=[inbound.pk])).content.decode()
    assert link not in mail_page and "[self-service link hidden]" in mail_page
    message_receive(conversation=talk, body=f"Thanks!\n> Your requests: {link}", channel=Channel.EMAIL)
    page = owner_client.get(talk.get_absolute_url(), {"thread": "all"}).content.decode()
    assert not TOKEN.search(page) and "[self-service link hidden]" in page
    tom = emma.client.contacts.get(name="Tom Park")
    toms_page = client.get(f"/my/{portal_url(tom).rsplit('/my/', 1)[1]}").content.decode()
    assert "Thanks!" in toms_page
    assert link not in toms_page and "[self-service link hidden]" in toms_page


def test_a_proposal_email_shows_no_acceptance_link_to_staff(owner_client, emma):
    inquiry = InquiryFactory(client=emma.client, contact=emma)
    ScopeItemFactory(inquiry=inquiry)
    proposal = proposal_send(inquiry=inquiry, actor=emma.client.account_owner)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.PROPOSAL)
    assert proposal.get_public_url() in email.text_body
    page = owner_client.get(reverse("outbox_detail", args=[email.pk])).content.decode()
    assert proposal.get_public_url() not in page and "[proposal link hidden]" in page


def test_a_saved_reply_puts_a_placeholder_not_the_link_in_the_composer(owner_client, owner, emma, talk):
    reply = saved_reply_create(actor=owner, values={"title": "Link", "body_en": "Your page: {portal_link}"})
    box = owner_client.post(f"/conversations/{talk.pk}/saved-reply/", {"saved_reply": reply.pk}).content.decode()
    assert not TOKEN.search(box) and "Your page: {portal_link}" in box
    # Sent to Emma alone, the email carries her link; the thread shows the placeholder.
    response = owner_client.post(
        f"/conversations/{talk.pk}/reply/",
        {"channel": "email", "body": "Your page: {portal_link}", "to": [emma.pk]},
    )
    assert response.status_code == 302
    email = OutboundEmail.objects.filter(related__conversation_id=talk.pk).latest("id")
    assert f"Your page: {portal_url(emma).rsplit(':', 2)[0]}:" in email.text_body
    assert talk.messages.latest("id").body == "Your page: {portal_link}"


@pytest.mark.parametrize("extra", [{"cc": "outsider@evil.example"}, {"channel": "phone"}])
def test_a_self_service_placeholder_goes_only_by_email_to_the_contact_alone(owner_client, emma, talk, extra):
    before = talk.messages.count()
    response = owner_client.post(
        f"/conversations/{talk.pk}/reply/", {"channel": "email", "body": "See {portal_link}", "to": [emma.pk]} | extra
    )
    assert response.status_code == 400
    assert "is a personal link" in response.content.decode()
    assert talk.messages.count() == before


def test_staff_send_a_new_link_to_the_contact_and_the_timeline_says_so(owner_client, owner, emma):
    response = owner_client.post(reverse("followups:portal_link_send", args=[emma.pk]))
    assert response.status_code == 302
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.SELF_SERVICE_LINK)
    assert email.to == ["emma@blue.example"] and TOKEN.search(email.text_body)
    event = TimelineEvent.objects.get(client=emma.client, kind="portal.link_sent")
    assert event.actor == owner
    page = owner_client.get(reverse("clients:detail", args=[emma.client_id])).content.decode()
    assert "Self-service link sent to Emma Collins" in page
    assert not TOKEN.search(page)


def _opens(http, link) -> bool:
    return http.get("/my/" + link.rsplit("/my/", 1)[1]).status_code == 200


@pytest.mark.parametrize(
    "off, on",
    [
        ({"email": "emma@other.example"}, {"email": "emma@blue.example"}),
        ({"portal_access": False}, {"portal_access": True}),
    ],
)
def test_a_revoked_link_stays_revoked_when_the_change_is_undone(client, owner, emma, off, on):
    from clients.services import contact_update

    link = portal_url(emma)
    assert _opens(client, link)
    emma = contact_update(contact=emma, actor=owner, changes=off)
    assert not _opens(client, link)
    emma = contact_update(contact=emma, actor=owner, changes=on)
    assert not _opens(client, link)
    assert _opens(client, portal_url(emma))  # a new link works


def test_sign_out_everywhere_revokes_every_link_of_the_contact(client, owner_client, owner, emma):
    link = portal_url(emma)
    assert _opens(client, link)
    response = owner_client.post(reverse("clients:contact_links_revoke", args=[emma.client_id, emma.pk]))
    assert response.status_code == 302
    assert not _opens(client, link)
    event = TimelineEvent.objects.get(client=emma.client, kind="contact.links_revoked")
    assert event.actor == owner
    page = owner_client.get(reverse("clients:detail", args=[emma.client_id])).content.decode()
    assert "Every self-service link of Emma Collins signed out" in page
