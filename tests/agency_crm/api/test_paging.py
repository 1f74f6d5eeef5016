"""Cursor pages: following `next` while rows are added neither repeats nor skips a row, the
ordered-by-time lists page too, and ?page_size= is capped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clients.services import client_create
from followups.conversations.services import message_receive
from tests.agency_crm.api.support import token_for
from tests.clients.factories import TimelineEventFactory
from tests.factories import ClientFactory, UserFactory
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.django_db


def _all_pages(client, url, header, params, between=lambda: None) -> list[int]:
    seen, response = [], client.get(url, params, HTTP_AUTHORIZATION=header).json()
    while True:
        seen += [row["id"] for row in response["results"]]
        between()
        if not response["next"]:
            return seen
        response = client.get(response["next"], HTTP_AUTHORIZATION=header).json()


def test_new_clients_do_not_shift_the_pages(client):
    person = UserFactory(username="pager")
    header = token_for(person)
    first = [ClientFactory(account_owner=person).pk for _ in range(5)]
    added = iter(range(10))

    def add_one():
        client_create(actor=person, name=f"New {next(added)}", account_owner=person)

    seen = _all_pages(client, reverse("api:clients"), header, {"page_size": 2}, between=add_one)
    assert seen == sorted(first, reverse=True), "newest first, each once, none of the added ones"


def test_messages_and_the_timeline_page_in_time_order(client):
    person = UserFactory(username="pager")
    header = token_for(person)
    conversation = ConversationFactory()
    messages = [message_receive(conversation=conversation, body=f"m{i}", channel="email").pk for i in range(5)]
    url = reverse("api:conversation_messages", kwargs={"pk": conversation.pk})
    assert _all_pages(client, url, header, {"page_size": 2}) == messages
    for _ in range(4):
        TimelineEventFactory(client=conversation.client)
    url = reverse("api:client_timeline", kwargs={"pk": conversation.client.pk})
    events = _all_pages(client, url, header, {"page_size": 3})
    assert len(events) == len(set(events)) == conversation.client.timeline_events.count()


def test_the_page_size_is_capped(client, settings):
    settings.API_MAX_PAGE_SIZE = 3
    person = UserFactory(username="pager")
    for _ in range(5):
        ClientFactory(account_owner=person)
    response = client.get(reverse("api:clients"), {"page_size": 1000}, HTTP_AUTHORIZATION=token_for(person))
    assert len(response.json()["results"]) == 3 and response.json()["next"]
