"""Registrations with the clients registries (search, offboarding), the admin and demo data."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from clients import offboarding, search
from followups.conversations.services import message_receive
from followups.models import Channel, Conversation, ResponsePolicy, ResponseWait
from tests.followups.factories import ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_messages_are_searchable_from_the_search_page(other_client, django_assert_max_num_queries):
    conversation = ConversationFactory(subject="Payment page")
    message_receive(conversation=conversation, body="유지보수 계약 갱신 문의 <b>bold</b>", channel=Channel.EMAIL)
    message_receive(conversation=ConversationFactory(), body="Unrelated", channel=Channel.EMAIL)
    provider = next(p for p in search.providers() if p.key == "messages")
    hits = provider.search("계약 갱신", 10)
    assert [h.title for h in hits] == ["Payment page"]
    assert hits[0].url.startswith(reverse("followups:conversation", args=[conversation.pk]))
    response = other_client.get(reverse("clients:search"), {"q": "계약"})
    content = response.content.decode()
    assert "Payment page" in content
    assert "<b>bold</b>" not in content


def test_open_conversations_are_an_offboarding_provider(owner):
    provider = next(p for p in offboarding.providers() if p.key == "open_conversations")
    waiting = ConversationFactory(owner=owner)
    message_receive(conversation=waiting, body="?", channel=Channel.EMAIL)
    ConversationFactory(owner=owner, status=Conversation.Status.CLOSED)
    assert provider.count_for(owner) == 1
    assert provider.items_for(owner) == [(f"{waiting.client.name}: {waiting.subject}", waiting.get_absolute_url())]
    successor = UserFactory()
    assert provider.reassign(from_user=owner, to_user=successor, actor=successor) == 1
    assert provider.count_for(owner) == 0


def test_managers_only_read_response_policies_in_the_admin(client, manager):
    """Targets, hours and closures are changed on /settings/agency/, which re-plans the open waits;
    an edit in the admin would not, so the admin shows them read-only (to managers only)."""
    policy = ResponsePolicy.objects.get(tier="maintenance")
    url = reverse("admin:followups_responsepolicy_change", args=[policy.pk])
    staff_admin = UserFactory(is_staff=True)
    client.force_login(staff_admin)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"tier": "maintenance", "first_response_minutes": 120, "next_reply_minutes": 480}, follow=False
    )
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.first_response_minutes != 120
    assert client.get(reverse("admin:followups_businesscalendar_changelist")).status_code == 200
    assert client.get(reverse("admin:followups_closureday_add")).status_code == 403


def test_demo_has_an_overdue_and_an_answered_conversation():
    call_command("seed_demo")
    overdue = Conversation.objects.get(subject="배송 조회 화면 오류")
    assert overdue.status == Conversation.Status.WAITING_ON_US
    assert overdue.reply_due_at < overdue.awaiting_since + dt.timedelta(days=14)
    answered = ResponseWait.objects.get(conversation__subject="Loyalty points estimate")
    assert answered.closed_reason == "answered" and answered.calendar_seconds == 3600
    assert Conversation.objects.get(subject="Invoice for October").status == Conversation.Status.CLOSED
    count = Conversation.objects.count()
    call_command("seed_demo")
    assert Conversation.objects.count() == count
