"""Handing a conversation to a colleague from its page: managers for any conversation, an owner
for their own; the new owner is told and gets the reminders from then on."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from clients.models import TimelineEvent
from followups.conversations.services import message_receive
from followups.models import Channel, Conversation, Notification
from followups.reminders.services import reminders_run
from tests.followups.factories import ClientFactory, ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL)  # Wednesday morning


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def conversation(owner):
    conversation = ConversationFactory(client=ClientFactory(account_owner=owner, name="Blue <Harbor>"), subject="Menu")
    message_receive(conversation=conversation, body="When is it live?", channel=Channel.EMAIL)
    return conversation


def _url(conversation):
    return reverse("followups:owner", args=[conversation.pk])


def test_a_manager_hands_a_conversation_to_a_colleague_who_is_told(manager_client, manager, conversation, other_staff):
    response = manager_client.post(_url(conversation), {"owner": other_staff.pk})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.owner == other_staff
    event = TimelineEvent.objects.get(kind="conversation.reassigned")
    assert event.summary == "Conversation Menu moved from Minji Park to Junho Lee"
    assert event.actor == manager
    (notification,) = Notification.objects.filter(kind="conversation.assigned")
    assert notification.recipient == other_staff
    assert notification.title == "Seoyeon Kim handed you the conversation Menu (Blue <Harbor>)"
    assert notification.conversation == conversation


def test_an_owner_may_hand_over_their_own_conversation(owner_client, conversation, other_staff):
    assert owner_client.post(_url(conversation), {"owner": other_staff.pk}).status_code == 302
    assert Conversation.objects.get(pk=conversation.pk).owner == other_staff


def test_other_staff_cannot_take_or_give_away_someone_elses_conversation(other_client, conversation, other_staff):
    page = other_client.get(reverse("followups:conversation", args=[conversation.pk]))
    assert b'id="owner-form"' not in page.content
    assert other_client.post(_url(conversation), {"owner": other_staff.pk}).status_code == 403
    assert Conversation.objects.get(pk=conversation.pk).owner != other_staff


def test_a_deactivated_colleague_cannot_be_chosen(manager_client, conversation):
    former = UserFactory(username="former", is_active=False)
    response = manager_client.post(_url(conversation), {"owner": former.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Conversation.objects.get(pk=conversation.pk).owner != former


def test_choosing_the_current_owner_changes_nothing(manager_client, conversation, owner):
    assert manager_client.post(_url(conversation), {"owner": owner.pk}).status_code == 302
    assert not TimelineEvent.objects.filter(kind="conversation.reassigned").exists()
    assert not Notification.objects.exists()


def test_reminders_after_the_handover_go_to_the_new_owner(manager_client, conversation, owner, other_staff, frozen):
    manager_client.post(_url(conversation), {"owner": other_staff.pk})
    Notification.objects.all().delete()
    frozen.move_to(dt.datetime(2025, 11, 20, 11, 0, tzinfo=SEOUL))  # past the 8 business hours
    reminders_run()
    recipients = set(Notification.objects.filter(kind__startswith="reminder").values_list("recipient", flat=True))
    assert other_staff.pk in recipients and owner.pk not in recipients


def test_the_owner_form_costs_one_query_whatever_the_thread(manager_client, conversation, django_assert_num_queries):
    url = reverse("followups:conversation", args=[conversation.pk])
    # The 20 queries of the conversation page (see test_views) plus the active colleagues.
    with django_assert_num_queries(21):
        response = manager_client.get(url)
    assert b'id="owner-form"' in response.content
    assert "Blue &lt;Harbor&gt;" in response.content.decode()
