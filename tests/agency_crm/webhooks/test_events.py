"""Each service emits its webhook event, in its own transaction, with its data; a customer message
emits message.received once whatever its channel (email, the contact form, a logged call)."""

import datetime as dt
from email.message import EmailMessage

import pytest
import time_machine
from django.utils import timezone

from agency_crm.webhooks import services
from agency_crm.webhooks.models import SUBSCRIBABLE, WebhookDelivery, WebhookEvent
from clients.services import client_create, client_update, contact_create
from followups.care.checkins import checkin_handle_due
from followups.care.feedback import feedback_submit
from followups.conversations.services import (
    conversation_log,
    conversation_reassign,
    conversation_reply,
    conversation_start,
    message_receive,
)
from followups.mailin.ingest import mail_ingest
from followups.reminders.services import reminders_run
from followups.webform.services import submission_receive
from inquiries.services import inquiry_create, inquiry_set_status, proposal_accept, proposal_send
from tests.factories import ClientFactory, ContactFactory, ManagerFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory
from tests.inquiries.factories import ScopeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def endpoint(db):
    endpoint, _secret = services.endpoint_create(
        actor=None, url="https://93.184.216.34/hooks", events=[value for value, _label in SUBSCRIBABLE]
    )
    return endpoint


def events(event_type):
    return [event.data for event in WebhookEvent.objects.filter(type=event_type).order_by("id")]


def test_clients_and_contacts(manager):
    client = client_create(
        actor=manager, name="Hanbit Soft", account_owner=manager, contacts=[{"name": "Jiwoo", "email": "j@h.example"}]
    )
    [created] = events("client.created")
    assert created["id"] == client.pk and created["name"] == "Hanbit Soft"
    assert created["account_owner"] == manager.pk and created["backup_owner"] is None
    assert created["created_at"].endswith("Z")
    [contact] = events("contact.created")
    assert (contact["client"], contact["name"], contact["email"]) == (client.pk, "Jiwoo", "j@h.example")
    contact_create(client=client, actor=manager, name="Minho")
    assert len(events("contact.created")) == 2

    client_update(client=client, actor=manager, changes={"status": "active", "website": "https://h.example"})
    [updated] = events("client.updated")
    assert updated["status"] == "active" and sorted(updated["changed_fields"]) == ["status", "website"]
    client_update(client=client, actor=manager, changes={"status": "active"})
    assert len(events("client.updated")) == 1  # nothing changed, nothing sent
    # Every event has a delivery for the endpoint, written with it.
    assert WebhookDelivery.objects.count() == WebhookEvent.objects.count() == 4


def test_inquiries_and_proposals(manager):
    inquiry = inquiry_create(
        actor=manager,
        details={"title": "Booking app", "source": "email", "problem": "Paper"},
        new_client_name="Blue Harbor",
        new_contact_name="Emma",
        new_contact_email="emma@bh.example",
    )
    assert [e["name"] for e in events("client.created")] == ["Blue Harbor"]
    assert [e["name"] for e in events("contact.created")] == ["Emma"]
    [created] = events("inquiry.created")
    assert (created["id"], created["client"], created["owner"]) == (inquiry.pk, inquiry.client_id, manager.pk)

    inquiry_set_status(inquiry=inquiry, status="discovery", actor=manager)
    assert [(e["status"], e["previous_status"]) for e in events("inquiry.status_changed")] == [("discovery", "new")]

    ScopeItemFactory(inquiry=inquiry)
    proposal = proposal_send(inquiry=inquiry, actor=manager)
    [sent] = events("proposal.sent")
    assert (sent["id"], sent["inquiry"], sent["number"], sent["accepted_at"]) == (proposal.pk, inquiry.pk, 1, None)
    proposal_accept(proposal=proposal, accepted_by_name="Emma", want_ids=[])
    [accepted] = events("proposal.accepted")
    assert accepted["accepted_by_name"] == "Emma" and accepted["accepted_total"] is not None
    assert [e["status"] for e in events("inquiry.status_changed")] == ["discovery", "proposal_sent", "won"]


def _email(sender: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "crm@agency.example", "Login broken"
    message["Message-ID"] = "<abc@customer.example>"
    message.set_content("I cannot log in.")
    return message.as_bytes()


def test_a_customer_message_by_any_channel_emits_message_received_once(manager):
    contact = ContactFactory(email="jiwoo@customer.example", client=ClientFactory(account_owner=manager))
    mail_ingest(raw=_email("jiwoo@customer.example"), source="imap")
    submission_receive(
        data={"name": "Visitor", "email": "visitor@web.example", "message": "Quote please", "consent": True},
        language="en",
    )
    conversation_log(contact=contact, direction="in", channel="phone", body="Called about the bill", actor=manager)

    received = events("message.received")
    assert [(e["channel"], e["direction"]) for e in received] == [("email", "in"), ("web_form", "in"), ("phone", "in")]
    assert received[0]["body"] == "I cannot log in."
    assert received[2]["author_contact"] == contact.pk and received[2]["conversation_status"] == "waiting_on_us"


def test_replies_and_handovers(manager):
    colleague = UserFactory()
    client = ClientFactory(account_owner=manager)
    contact = ContactFactory(client=client)
    conversation = conversation_start(client=client, contact=contact, subject="Bug", channel="phone", actor=manager)
    message_receive(conversation=conversation, body="Help", channel="phone")
    conversation_reply(conversation=conversation, author=manager, body="On it", channel="phone")
    [sent] = events("message.sent")
    assert (sent["direction"], sent["author_user"], sent["body"]) == ("out", manager.pk, "On it")

    conversation_reassign(conversation=conversation, to_user=colleague, actor=manager)
    [assigned] = events("conversation.assigned")
    assert (assigned["id"], assigned["owner"], assigned["previous_owner"]) == (
        conversation.pk,
        colleague.pk,
        manager.pk,
    )


def test_a_wait_past_its_due_time_emits_wait_breached_once(manager):
    client = ClientFactory(account_owner=manager)
    contact = ContactFactory(client=client)
    monday_ten = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    with time_machine.travel(monday_ten, tick=False):
        conversation = conversation_start(
            client=client, contact=contact, subject="Down", channel="email", actor=manager
        )
        message_receive(conversation=conversation, body="Site down", channel="email")
    with time_machine.travel(monday_ten + dt.timedelta(days=1, hours=1), tick=False):
        reminders_run()
        reminders_run()
    [breached] = events("wait.breached")
    assert breached["conversation"] == conversation.pk and breached["owner"] == manager.pk


def test_a_due_checkin_and_feedback(manager):
    checkin = CheckinFactory(client=ClientFactory(account_owner=manager), channel="call")
    now = timezone.now()
    assert checkin_handle_due(checkin_id=checkin.pk, now=now) == "notified"
    assert checkin_handle_due(checkin_id=checkin.pk, now=now) == "skipped"
    [due] = events("checkin.due")
    assert (due["id"], due["status"], due["handled_as"]) == (checkin.pk, "due", "notified")

    feedback = FeedbackRequestFactory(client=checkin.client)
    feedback_submit(feedback=feedback, rating="great", comment="Thanks!")
    feedback_submit(feedback=feedback, rating="okay")
    assert [(e["rating"], e["is_change"]) for e in events("feedback.received")] == [("great", False), ("okay", True)]


def test_an_event_for_an_agency_without_endpoints_costs_one_query(endpoint, django_assert_num_queries):
    endpoint.delete()
    client = ClientFactory(account_owner=ManagerFactory())
    from clients.webhook_data import client_emit_created

    # SELECT the active endpoints (none): no event, no delivery.
    with django_assert_num_queries(1):
        client_emit_created(client)
