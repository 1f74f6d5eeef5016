"""A call logged from the inbox that joins the contact's open conversation says so: which one,
with a link, and "start a new conversation instead" (which moves the logged message out)."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from followups.conversations.services import conversation_log
from followups.models import Channel, Conversation, Message, ResponseWait
from tests.followups.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(owner):
    return ContactFactory(client=ClientFactory(account_owner=owner), name="정우성")


@pytest.fixture
def open_conversation(contact, owner):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=3), tick=False):
        message = conversation_log(
            contact=contact, direction="in", channel=Channel.PHONE, body="배송 조회 문의", actor=owner
        )
    return message.conversation


def log(client, contact, body="환불 요청 전화", **extra):
    data = {"contact": contact.pk, "direction": "in", "channel": "phone", "body": body, "occurred_at": ""}
    return client.post(reverse("followups:quick_log"), {**data, **extra}, follow=True)


def panel(html: str) -> str:
    match = re.search(r'<div[^>]*id="logged-into"[^>]*>.*?</div>', html, re.DOTALL)
    assert match, "no logged-into panel"
    return match.group(0)


def test_a_log_that_joins_an_open_conversation_names_and_links_it(owner_client, contact, open_conversation):
    html = log(owner_client, contact).content.decode()
    shown = panel(html)
    assert open_conversation.subject in shown
    assert f'href="{open_conversation.get_absolute_url()}#message-' in shown
    assert "Start a new conversation instead" in shown
    assert Message.objects.filter(conversation=open_conversation).count() == 2


def test_a_log_that_starts_a_conversation_shows_no_joined_panel(owner_client, contact):
    html = log(owner_client, contact).content.decode()
    assert 'id="logged-into"' not in html
    assert Conversation.objects.count() == 1


def test_start_a_new_conversation_instead_moves_the_logged_message(owner_client, contact, open_conversation):
    html = log(owner_client, contact).content.decode()
    action = re.search(r'<form[^>]*action="([^"]+)"', panel(html)).group(1)
    message = Message.objects.filter(conversation=open_conversation).latest("id")
    response = owner_client.post(action, follow=True)
    assert response.status_code == 200
    message.refresh_from_db()
    new = message.conversation
    assert new.pk != open_conversation.pk and new.contact == contact
    assert new.subject == "환불 요청 전화"
    assert new.status == Conversation.Status.WAITING_ON_US
    open_conversation.refresh_from_db()
    assert list(open_conversation.messages.values_list("body", flat=True)) == ["배송 조회 문의"]
    # Each conversation's clock holds its own message only.
    assert ResponseWait.objects.filter(conversation=new).count() == 1
    assert ResponseWait.objects.filter(conversation=open_conversation).count() == 1


def test_only_the_colleague_who_logged_it_may_move_it(other_client, owner, contact, open_conversation):
    message = conversation_log(contact=contact, direction="in", channel=Channel.PHONE, body="두 번째", actor=owner)
    response = other_client.post(reverse("followups:log_to_new_conversation", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.conversation_id == open_conversation.pk
