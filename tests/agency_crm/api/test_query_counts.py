"""Every API list and detail costs the same number of queries with one row or many: each list
is one query for its page plus one per prefetched relation, whatever the page holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agency_crm.roles import ensure_role_groups
from followups.answers.services import saved_reply_create
from followups.conversations.models import InternalNote
from followups.knowledge.services import article_create
from tests.agency_crm.api.support import READS, build_api_world, token_for
from tests.clients.factories import TimelineEventFactory
from tests.factories import ContactFactory, ManagerFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory
from tests.followups.factories import ConversationFactory, MessageFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db

# Every request: the token with its person (1); the last use is written at most once a minute,
# so a warmed-up token costs nothing more. Then the view's own, per endpoint:
VIEW_QUERIES = {
    "api:clients": 3,  # the page of clients, their tags, their contacts
    "api:client": 3,  # the client, its tags, its contacts
    "api:client_contacts": 2,  # the client exists, the page of contacts
    "api:client_timeline": 2,  # the client exists, the page of events
    "api:contacts": 1,
    "api:contact": 1,
    "api:inquiries": 3,  # the page, their scope items, their proposals
    "api:inquiry": 3,
    "api:conversations": 2,  # the page, their topics
    "api:conversation": 2,
    "api:conversation_messages": 2,  # the conversation exists, the page of messages
    "api:conversation_notes": 2,
    "api:checkins": 1,
    "api:checkin": 1,
    "api:feedback_list": 1,
    "api:feedback": 1,
    "api:saved_replies": 1,
    "api:saved_reply": 1,
    "api:articles": 1,  # with their categories (a join)
    "api:article": 1,
    "api:users": 2,  # the page of people, their groups (for the role)
    "api:user": 2,
}


def _more(w, n: int) -> None:
    """n more of everything each endpoint lists, in the world's client and conversation too."""
    ensure_role_groups()
    for i in range(n):
        ManagerFactory(username=f"manager{i}") if i % 2 else UserFactory(username=f"colleague{i}")
        contact = ContactFactory(client=w.client)
        other = ContactFactory()
        other.client.tags.create(name=f"tag{i}")
        inquiry = InquiryFactory(client=w.client, contact=contact, owner=w.owner)
        ScopeItemFactory(inquiry=inquiry)
        ScopeItemFactory(inquiry=w.inquiry)
        MessageFactory(conversation=w.conversation)
        ConversationFactory(client=w.client, contact=contact).tags.create(name=f"topic{i}")
        InternalNote.objects.create(conversation=w.conversation, author=w.owner, body=f"n{i}")
        TimelineEventFactory(client=w.client)
        CheckinFactory(client=w.client, contact=contact)
        FeedbackRequestFactory(client=w.client, contact=contact)
        saved_reply_create(actor=w.owner, values={"title": f"R{i}", "body_en": "Hi"})
        article_create(actor=w.owner, values={"title": f"A{i}", "body": "x", "tags": ""})
    w.conversation.tags.create(name="menu")


def _check_counts(client, w, header, django_assert_num_queries) -> None:
    for name, _scope, kwargs in READS:
        path = reverse(name, kwargs=kwargs(w))
        with django_assert_num_queries(1 + VIEW_QUERIES[name]):  # the token, then the view's
            response = client.get(path, HTTP_AUTHORIZATION=header)
        assert response.status_code == 200, name
        if "results" in response.json():
            assert len(response.json()["results"]) >= (7 if w.grown else 1), name


def test_query_counts_are_constant_and_as_listed(client, django_assert_num_queries):
    w = build_api_world()
    w.grown = False
    header = token_for(w.staff)
    client.get(reverse("api:users"), HTTP_AUTHORIZATION=header)  # the token's last use is written
    _check_counts(client, w, header, django_assert_num_queries)
    _more(w, 6)
    w.grown = True
    _check_counts(client, w, header, django_assert_num_queries)
