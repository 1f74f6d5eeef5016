"""Issue 32's "Done when", the API half, as the README's curl example does it: make a token on
/settings/tokens/, create a client with a contact, log the customer's message, read it back."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from followups.conversations.models import Conversation, Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_make_a_token_create_a_client_and_log_a_customer_message(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = UserFactory(username="minji")
    client.force_login(person)

    page = client.post(
        reverse("api_tokens:list"),
        {"name": "Website", "scopes": ["clients:write", "conversations:write", "conversations:read"]},
    )
    assert page.status_code == 200
    secret = re.search(r'id="new-token-secret">(gg_[0-9a-f]{64})<', page.content.decode()).group(1)
    assert page["Cache-Control"] == "no-store"
    client.logout()
    api = {"HTTP_AUTHORIZATION": f"Token {secret}", "content_type": "application/json"}

    created = client.post(
        "/api/v1/clients/",
        json.dumps({"name": "Blue Harbor", "contacts": [{"name": "Emma", "email": "emma@customer.example"}]}),
        **api,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["account_owner"] == person.pk and body["status"] == "prospect"
    contact_id = body["contacts"][0]["id"]

    logged = client.post(
        "/api/v1/messages/",
        json.dumps({"contact": contact_id, "channel": "phone", "body": "Can you call me back about the site?"}),
        **api,
    )
    assert logged.status_code == 201, logged.content
    message = Message.objects.get(pk=logged.json()["id"])
    assert message.direction == Message.Direction.FROM_CUSTOMER and message.recorded_by == person
    conversation = Conversation.objects.get(pk=logged.json()["conversation"])
    assert conversation.status == Conversation.Status.WAITING_ON_US and conversation.reply_due_at is not None

    listed = client.get(f"/api/v1/conversations/{conversation.pk}/messages/", **api)
    assert [m["body"] for m in listed.json()["results"]] == ["Can you call me back about the site?"]
    # The page shows the token once: a second visit has no secret.
    client.force_login(person)
    assert secret not in client.get(reverse("api_tokens:list")).content.decode()
