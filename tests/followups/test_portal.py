"""The self-service page (issue 18): asking for a magic link, what the page shows and hides, and
writing to us from it; forged, expired and revoked links, and other clients' ids."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from followups.conversations.services import conversation_reply, conversation_start, message_receive, note_add
from followups.models import Channel, Conversation, Notification
from followups.portal.links import PORTAL_SALT, portal_token
from inquiries.services import proposal_send
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory


def visitor_ip() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


@pytest.fixture
def minji(db):
    owner = UserFactory(username="minji", first_name="민지", last_name="박")
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    return ContactFactory(client=client, name="Kim Hana", email="hana@blue.example", preferred_language="en")


@pytest.fixture
def talk(minji):
    conversation = conversation_start(
        client=minji.client, contact=minji, subject="Delivery page", channel=Channel.EMAIL, actor=None
    )
    message_receive(conversation=conversation, body="The delivery page does not open.", channel=Channel.EMAIL)
    owner = minji.client.account_owner
    conversation_reply(conversation=conversation, author=owner, body="We are fixing it today.", channel="email")
    note_add(conversation=conversation, author=owner, body="SECRET internal: the customer is grumpy")
    message_receive(conversation=conversation, body="Thanks, and the invoice?", channel=Channel.EMAIL)
    return Conversation.objects.get(pk=conversation.pk)


def url(contact) -> str:
    return f"/my/{portal_token(contact)}/"


def test_asking_for_a_link_reads_the_same_for_known_and_unknown_addresses(client, minji, queued_tasks_run):
    with queued_tasks_run():
        known = client.post("/my/", {"email": "HANA@blue.example"}, REMOTE_ADDR=visitor_ip())
    with queued_tasks_run():
        unknown = client.post("/my/", {"email": "nobody@else.example"}, REMOTE_ADDR=visitor_ip())
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(known) == strip(unknown)
    (email,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SELF_SERVICE_LINK)
    assert email.to == ["hana@blue.example"]
    link = re.search(r"http://testserver(/my/[^/\s]+/)", email.text_body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Blue Harbor" in page.content.decode()


def test_link_requests_are_rate_limited(client, minji, settings, queued_tasks_run):
    settings.PORTAL_RATE_PER_IP = "5/m"
    ip = visitor_ip()
    codes = [client.post("/my/", {"email": f"x{i}@y.example"}, REMOTE_ADDR=ip).status_code for i in range(8)]
    assert codes == [200] * 5 + [429] * 3
    settings.PORTAL_RATE_PER_EMAIL = "2/h"
    # A fresh address: the counters live in the shared cache for the hour.
    minji.email = f"hana.{uuid.uuid4().hex[:8]}@blue.example"
    minji.save()
    for _ in range(4):
        with queued_tasks_run():
            response = client.post("/my/", {"email": minji.email}, REMOTE_ADDR=visitor_ip())
        assert response.status_code == 200  # the page reads the same...
    # ...but the address gets two links, not four.
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.SELF_SERVICE_LINK).count() == 2


def test_the_page_shows_the_clients_records_and_never_internal_notes(client, minji, talk, django_assert_num_queries):
    colleague = ContactFactory(client=minji.client, name="Park Joon", email="joon@blue.example")
    inquiry = InquiryFactory(client=minji.client, contact=minji, title="Shop renewal")
    ScopeItemFactory(inquiry=inquiry)
    proposal_send(inquiry=inquiry, actor=minji.client.account_owner)
    CheckinFactory(client=minji.client, contact=minji, due_on=timezone.localdate() + dt.timedelta(days=7))
    FeedbackRequestFactory(client=minji.client, contact=minji, conversation=talk)
    # Six reads of the records, and the agency's name (agency_crm.agency, /settings/agency/).
    with django_assert_num_queries(7):
        response = client.get(url(colleague))  # a colleague at the same client sees the same
    page = response.content.decode()
    assert "Delivery page" in page and "We are fixing it today." in page and "Thanks, and the invoice?" in page
    assert "SECRET" not in page
    assert "Your contact at the agency is 박민지." in page
    assert "We will answer by" in page  # the open wait
    assert "Shop renewal" in page and "Read and decide" in page
    assert "Upcoming check-ins" in page and 'data-testid="portal-checkin"' in page
    assert 'data-testid="portal-feedback"' in page
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    # Constant queries: more conversations and messages, the same count.
    for n in range(3):
        more = conversation_start(client=minji.client, contact=minji, subject=f"More {n}", channel="email", actor=None)
        message_receive(conversation=more, body="again", channel=Channel.EMAIL)
    with django_assert_num_queries(7):
        client.get(url(colleague))


def test_writing_and_replying_are_customer_messages_on_the_web_form_channel(client, minji, talk):
    owner = minji.client.account_owner
    conversation_reply(conversation=talk, author=owner, body="The invoice is attached.", channel="email")
    talk.refresh_from_db()
    assert talk.status == "waiting_on_customer"
    response = client.post(f"{url(minji)}conversations/{talk.pk}/reply/", {"body": "Got it, one more question"})
    assert response.status_code == 302 and "sent=1" in response["Location"]
    talk.refresh_from_db()
    assert talk.status == "waiting_on_us" and talk.reply_due_at is not None
    last = talk.messages.order_by("-occurred_at", "-id").first()
    assert last.channel == "web_form" and last.author_contact == minji and last.from_customer
    assert Notification.objects.filter(recipient=owner, kind="conversation.customer_wrote").count() == 1

    response = client.post(f"{url(minji)}write/", {"subject": "", "body": "A new request\nwith details"})
    assert response.status_code == 302
    new = Conversation.objects.get(subject="A new request")
    assert new.channel == "web_form" and new.status == "waiting_on_us" and new.contact == minji
    assert Notification.objects.filter(recipient=owner, kind="conversation.customer_wrote").count() == 2


def test_an_empty_message_is_refused_clearly(client, minji):
    response = client.post(f"{url(minji)}write/", {"body": "   "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Conversation.objects.exists()


def test_another_clients_conversation_is_a_404(client, minji, talk):
    stranger = ContactFactory(client=ClientFactory(), email="x@other.example")
    other = conversation_start(client=stranger.client, contact=stranger, subject="Theirs", channel="email", actor=None)
    response = client.post(f"{url(minji)}conversations/{other.pk}/reply/", {"body": "let me in"})
    assert response.status_code == 404
    assert not other.messages.exists()
    assert "Theirs" not in client.get(url(minji)).content.decode()


@pytest.mark.parametrize("kind", ["forged", "expired", "revoked", "archived", "address changed", "other salt"])
def test_a_bad_link_gets_a_friendly_page_and_nothing_else(client, minji, talk, kind):
    token = portal_token(minji)
    if kind == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif kind == "expired":
        with time_machine.travel(timezone.now() - dt.timedelta(days=15)):
            token = portal_token(minji)
    elif kind == "revoked":
        minji.portal_access = False
        minji.save()
    elif kind == "archived":
        minji.client.archived_at = timezone.now()
        minji.client.save()
    elif kind == "address changed":
        minji.email = "new@blue.example"
        minji.save()
    else:
        token = signing.dumps({"c": minji.pk, "e": "x"}, salt="followups.unsubscribe")
    for response in (
        client.get(f"/my/{token}/"),
        client.post(f"/my/{token}/write/", {"body": "hello"}),
        client.post(f"/my/{token}/conversations/{talk.pk}/reply/", {"body": "hello"}),
    ):
        assert response.status_code == 404
        page = response.content.decode()
        assert "This link does not work" in page and "Delivery page" not in page
    assert talk.messages.count() == 3
    assert PORTAL_SALT == "followups.portal"


def test_every_customer_email_carries_the_link_to_their_page(minji, talk):
    reply = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REPLY).first()
    assert reply.to == ["hana@blue.example"]
    assert "/my/" in reply.text_body and "/my/" in reply.html_body
    minji.portal_access = False
    minji.save()
    conversation_reply(conversation=talk, author=minji.client.account_owner, body="Another", channel="email")
    latest = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REPLY).order_by("-id").first()
    assert "/my/" not in latest.text_body
