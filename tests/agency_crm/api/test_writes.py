"""The API's writes go through the pages' services with the pages' rules: who may change an
owner (agency_crm.permissions), the reply form's checks, the proposal and delivery rules."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from agency_crm.outbox.models import OutboundEmail
from clients.models import Client, TimelineEvent
from followups.conversations.models import InternalNote, Message
from inquiries.models import Proposal
from tests.agency_crm.api.support import build_api_world, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_api_world()


def _send(client, method, path, user, data, scopes=None):
    header = token_for(user) if scopes is None else token_for(user, scopes)
    return getattr(client, method)(path, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=header)


def test_anyone_may_edit_a_clients_details_but_only_its_owner_or_a_manager_its_owner(client, w):
    path = reverse("api:client", kwargs={"pk": w.client.pk})
    assert _send(client, "patch", path, w.staff, {"notes": "Call after 10"}).status_code == 200
    refused = _send(client, "patch", path, w.staff, {"account_owner": w.staff.pk})
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "permission_denied"
    assert Client.objects.get(pk=w.client.pk).account_owner == w.owner
    assert _send(client, "patch", path, w.owner, {"backup_owner": w.staff.pk}).status_code == 200
    moved = _send(client, "patch", path, w.manager, {"account_owner": w.staff.pk, "backup_owner": None})
    assert moved.status_code == 200 and moved.json()["account_owner"] == w.staff.pk
    assert TimelineEvent.objects.filter(client=w.client, kind="client.owner_changed").exists()


def test_a_service_refusal_is_a_field_error(client, w):
    response = _send(client, "patch", reverse("api:client", kwargs={"pk": w.client.pk}), w.owner,
                     {"backup_owner": w.owner.pk})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert [e["attr"] for e in response.json()["errors"]] == ["backup_owner"]


def test_field_errors_name_their_field_inside_lists(client, w):
    response = _send(client, "post", reverse("api:clients"), w.staff, {"name": "X", "contacts": [{"email": "bad"}]})
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"contacts.0.name", "contacts.0.email"}


def test_contacts_are_added_and_changed(client, w):
    added = _send(client, "post", reverse("api:client_contacts", kwargs={"pk": w.client.pk}), w.staff,
                  {"name": "Jisoo", "email": "jisoo@customer.example", "preferred_language": "ko"})  # fmt: skip
    assert added.status_code == 201 and added.json()["client"] == w.client.pk
    changed = _send(client, "patch", reverse("api:contact", kwargs={"pk": added.json()["id"]}), w.staff,
                    {"role": "CTO"})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["role"] == "CTO"


def test_a_customer_message_and_our_replies(client, w):
    pk = w.conversation.pk
    said = _send(client, "post", reverse("api:conversation_customer_message", kwargs={"pk": pk}), w.staff,
                 {"channel": "kakao", "body": "Also the logo"})  # fmt: skip
    assert said.status_code == 201 and said.json()["direction"] == "in"
    call = _send(client, "post", reverse("api:conversation_reply", kwargs={"pk": pk}), w.staff,
                 {"channel": "phone", "body": "Called back"})  # fmt: skip
    assert call.status_code == 201 and call.json()["author_user"] == w.staff.pk
    email = _send(client, "post", reverse("api:conversation_reply", kwargs={"pk": pk}), w.owner,
                  {"channel": "email", "body": "It goes live on Monday."})  # fmt: skip
    assert email.status_code == 201
    assert OutboundEmail.objects.filter(to__contains="emma@customer.example").exists()
    assert Message.objects.filter(conversation_id=pk).count() == 4


def test_the_reply_forms_own_checks_apply(client, w):
    path = reverse("api:conversation_reply", kwargs={"pk": w.conversation.pk})
    earlier = _send(client, "post", path, w.owner,
                    {"channel": "email", "body": "Hi", "occurred_at": "2026-01-01T09:00:00+09:00"})  # fmt: skip
    assert earlier.status_code == 400 and earlier.json()["errors"][0]["attr"] == "occurred_at"
    unfilled = _send(client, "post", path, w.owner, {"channel": "phone", "body": "Dear [[contact_name?]]"})
    assert unfilled.status_code == 400 and unfilled.json()["errors"][0]["attr"] == "body"
    assert Message.objects.filter(conversation=w.conversation).count() == 1


def test_internal_notes_are_listed_and_added(client, w):
    path = reverse("api:conversation_notes", kwargs={"pk": w.conversation.pk})
    added = _send(client, "post", path, w.staff, {"body": "Ask Junho"})
    assert added.status_code == 201 and InternalNote.objects.filter(body="Ask Junho", author=w.staff).exists()


def test_send_the_proposal_and_mark_delivered(client, w):
    sent = _send(client, "post", reverse("api:inquiry_send_proposal", kwargs={"pk": w.inquiry.pk}), w.staff, {})
    assert sent.status_code == 201 and sent.json()["number"] == 1
    assert "link_token" not in sent.json() and "key" not in sent.json()
    assert Proposal.objects.filter(inquiry=w.inquiry).count() == 1
    early = _send(client, "post", reverse("api:inquiry_mark_delivered", kwargs={"pk": w.inquiry.pk}), w.staff,
                  {"delivered_on": "2026-12-01"})  # fmt: skip
    assert early.status_code == 400, "only a won inquiry is delivered"


def test_writes_need_the_write_scope(client, w):
    refused = _send(client, "post", reverse("api:clients"), w.staff, {"name": "X"}, scopes=["clients:read"])
    assert refused.status_code == 403
    refused = _send(client, "post", reverse("api:conversation_notes", kwargs={"pk": w.conversation.pk}), w.staff,
                    {"body": "x"}, scopes=["conversations:read"])  # fmt: skip
    assert refused.status_code == 403
