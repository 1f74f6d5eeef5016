"""A small world for the API's tests (one of every resource, made through the services) and
personal access tokens made through the tokens service."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from agency_crm.api.scopes import SCOPES
from agency_crm.api.tokens import personal_token_create
from clients.services import client_create, contact_create
from followups.answers.services import saved_reply_create
from followups.care.dates import local_today
from followups.care.models import Checkin
from followups.conversations.services import conversation_start, message_receive
from followups.conversations.services import note_add as internal_note_add
from followups.knowledge.services import article_create
from inquiries import services as inquiry_services
from tests.factories import ManagerFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory


def token_for(user, scopes=SCOPES, *, expiry: dt.datetime | None = None, name: str = "test") -> str:
    """A token's `Authorization` header value."""
    _token, secret = personal_token_create(user=user, name=name, scopes=list(scopes), expiry=expiry)
    return f"Token {secret}"


def build_api_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.staff = UserFactory(username="staff", first_name="Junho", last_name="Lee")
    w.owner = UserFactory(username="owner", first_name="Minji", last_name="Park")
    w.manager = ManagerFactory(username="boss", first_name="Seoyeon", last_name="Kim")
    w.client = client_create(actor=w.owner, name="Blue Harbor", account_owner=w.owner, status="active")
    w.contact = contact_create(client=w.client, actor=w.owner, name="Emma", email="emma@customer.example")
    w.inquiry = inquiry_services.inquiry_create(
        actor=w.owner,
        details={"title": "Booking app", "source": "email", "problem": "Paper bookings", "owner": w.owner},
        client=w.client,
        contact=w.contact,
    )
    w.item = inquiry_services.scope_item_add(
        inquiry=w.inquiry,
        actor=w.owner,
        fields={"title": "Calendar", "priority": "must", "optimistic_hours": 4, "likely_hours": 6,
                "pessimistic_hours": 10},
    )  # fmt: skip
    w.conversation = conversation_start(
        client=w.client, contact=w.contact, subject="Menu update", channel="email", actor=w.owner
    )
    w.message = message_receive(conversation=w.conversation, body="When is it live?", channel="email")
    w.internal_note = internal_note_add(conversation=w.conversation, author=w.owner, body="Ask about the menu")
    w.checkin = CheckinFactory(client=w.client, contact=w.contact, due_on=local_today(), status=Checkin.Status.DUE)
    w.feedback = FeedbackRequestFactory(client=w.client, contact=w.contact, conversation=w.conversation)
    w.saved_reply = saved_reply_create(actor=w.owner, values={"title": "Thanks", "body_en": "Thanks {contact_name}"})
    w.article = article_create(actor=w.owner, values={"title": "Hosting", "body": "AWS **Seoul**", "tags": "aws"})
    w.now = timezone.now()
    return w


# Every GET endpoint: (url name, its scope, kwargs from the world).
READS = [
    ("api:clients", "clients:read", lambda w: {}),
    ("api:client", "clients:read", lambda w: {"pk": w.client.pk}),
    ("api:client_contacts", "clients:read", lambda w: {"pk": w.client.pk}),
    ("api:client_timeline", "clients:read", lambda w: {"pk": w.client.pk}),
    ("api:contacts", "clients:read", lambda w: {}),
    ("api:contact", "clients:read", lambda w: {"pk": w.contact.pk}),
    ("api:inquiries", "inquiries:read", lambda w: {}),
    ("api:inquiry", "inquiries:read", lambda w: {"pk": w.inquiry.pk}),
    ("api:conversations", "conversations:read", lambda w: {}),
    ("api:conversation", "conversations:read", lambda w: {"pk": w.conversation.pk}),
    ("api:conversation_messages", "conversations:read", lambda w: {"pk": w.conversation.pk}),
    ("api:conversation_notes", "conversations:read", lambda w: {"pk": w.conversation.pk}),
    ("api:checkins", "care:read", lambda w: {}),
    ("api:checkin", "care:read", lambda w: {"pk": w.checkin.pk}),
    ("api:feedback_list", "care:read", lambda w: {}),
    ("api:feedback", "care:read", lambda w: {"pk": w.feedback.pk}),
    ("api:saved_replies", "answers:read", lambda w: {}),
    ("api:saved_reply", "answers:read", lambda w: {"pk": w.saved_reply.pk}),
    ("api:articles", "answers:read", lambda w: {}),
    ("api:article", "answers:read", lambda w: {"pk": w.article.pk}),
    ("api:users", "users:read", lambda w: {}),
    ("api:user", "users:read", lambda w: {"pk": w.owner.pk}),
]
