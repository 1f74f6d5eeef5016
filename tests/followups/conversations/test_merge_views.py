"""The pages of merging: *Merge into…* (choose, confirm, merge), *Move to a new conversation*,
who may use them (other staff, the owner, a manager), odd input, and the page's query count."""

import pytest
from django.urls import reverse

from agency_crm.preferences.services import preferences_save
from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, Conversation, Message, ThreadMove
from tests.factories import ManagerFactory
from tests.followups.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(owner):
    return ContactFactory(client=ClientFactory(account_owner=owner, name="Blue Harbor"), name="Emma")


def started(customer, subject, channel, *bodies, owner=None):
    conversation = conversation_start(
        client=customer.client, contact=customer, subject=subject, channel=channel, actor=owner, owner=owner
    )
    for body in bodies:
        message_receive(conversation=conversation, body=body, channel=channel)
    return conversation


@pytest.fixture
def kakao(customer):
    return started(customer, "카톡 문의", Channel.KAKAO, "주문 확인 부탁드려요")


@pytest.fixture
def email(customer):
    return started(customer, "Order question", Channel.EMAIL, "Where is my order?")


def merge_url(conversation):
    return reverse("followups:merge", args=[conversation.pk])


def test_the_picker_lists_only_the_clients_other_live_conversations(owner_client, customer, kakao, email):
    third = started(customer, "Old thread", Channel.PHONE, "Hi")
    gone = started(customer, "Merged away", Channel.PHONE, "Hi")
    Conversation.objects.filter(pk=gone.pk).update(merged_into=third)
    stranger = started(ContactFactory(client=ClientFactory(account_owner=customer.client.account_owner)), "X", "email")
    html = owner_client.get(merge_url(kakao)).content.decode()
    assert f'value="{email.pk}"' in html and f'value="{third.pk}"' in html
    assert f'value="{gone.pk}"' not in html and f'value="{stranger.pk}"' not in html
    assert f'value="{kakao.pk}"' not in html


def test_the_merge_page_costs_the_same_queries_whatever_the_choices(
    owner_client, customer, kakao, django_assert_num_queries
):
    for number in range(5):
        started(customer, f"Thread {number}", Channel.EMAIL, "Hello", "Again")
    # 1 session, 2 user, 3 the conversation with client, contact and owner, 4 the client's other
    # conversations with contact, owner and message count (selectors.merge_choices), 5 the
    # navigation's check of the reader's permissions (is a manager?), 6 their group permissions.
    with django_assert_num_queries(6):
        response = owner_client.get(merge_url(kakao))
    assert len(response.context["choices"]) == 5


def test_choosing_asks_to_confirm_and_confirming_merges(owner_client, kakao, email):
    response = owner_client.get(merge_url(kakao), {"into": email.pk})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="merge-confirm"' in html and "Order question" in html
    assert not ThreadMove.objects.exists()  # nothing happens before the confirmation
    response = owner_client.post(merge_url(kakao), {"into": email.pk, "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == email.get_absolute_url()
    html = response.content.decode()
    assert "주문 확인 부탁드려요" in html and "Where is my order?" in html
    assert 'id="thread-moves"' in html and "merged a conversation into this one" in html
    kakao.refresh_from_db()
    assert kakao.merged_into == email


def test_a_post_without_the_confirmation_only_asks_again(owner_client, kakao, email):
    response = owner_client.post(merge_url(kakao), {"into": email.pk})
    assert response.status_code == 200 and 'id="merge-confirm"' in response.content.decode()
    assert not Conversation.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.parametrize("into", ["abc", "999999", "", "1.5", "-1"])
def test_an_odd_target_is_a_400_and_merges_nothing(owner_client, kakao, email, into):
    response = owner_client.post(merge_url(kakao), {"into": into, "confirm": "1"})
    assert response.status_code == 400
    assert not Conversation.objects.filter(merged_into__isnull=False).exists()


def test_the_conversation_itself_is_not_a_target(owner_client, kakao, email):
    response = owner_client.post(merge_url(kakao), {"into": kakao.pk, "confirm": "1"})
    assert response.status_code == 400 and not Conversation.objects.filter(merged_into__isnull=False).exists()


def test_another_colleague_may_not_merge(other_client, kakao, email):
    assert other_client.get(merge_url(kakao)).status_code == 403
    assert other_client.post(merge_url(kakao), {"into": email.pk, "confirm": "1"}).status_code == 403
    assert not Conversation.objects.filter(merged_into__isnull=False).exists()
    page = other_client.get(kakao.get_absolute_url()).content.decode()
    assert 'id="merge-link"' not in page


def test_the_owner_cannot_merge_into_a_conversation_someone_else_owns(owner_client, customer, kakao, other_staff):
    theirs = started(customer, "Their thread", Channel.EMAIL, "Hi", owner=other_staff)
    assert f'value="{theirs.pk}"' not in owner_client.get(merge_url(kakao)).content.decode()
    response = owner_client.post(merge_url(kakao), {"into": theirs.pk, "confirm": "1"})
    assert response.status_code == 400 and not Conversation.objects.filter(merged_into__isnull=False).exists()


def test_a_manager_merges_conversations_of_different_owners(client, customer, kakao, other_staff):
    theirs = started(customer, "Their thread", Channel.EMAIL, "Hi", owner=other_staff)
    client.force_login(ManagerFactory())
    assert client.post(merge_url(kakao), {"into": theirs.pk, "confirm": "1"}).status_code == 302
    kakao.refresh_from_db()
    assert kakao.merged_into == theirs


def test_the_merge_page_of_a_merged_conversation_opens_its_target(owner_client, kakao, email):
    owner_client.post(merge_url(kakao), {"into": email.pk, "confirm": "1"})
    response = owner_client.get(merge_url(kakao))
    assert response.status_code == 302 and response["Location"] == email.get_absolute_url()


def test_move_out_on_the_page_makes_a_conversation_of_the_message(owner_client, customer, email):
    wrong = message_receive(conversation=email, body="Also, my login fails", channel=Channel.EMAIL)
    page = owner_client.get(email.get_absolute_url()).content.decode()
    action = reverse("followups:message_move_out", args=[wrong.pk])
    assert page.count("data-move-out") == 2 and f'action="{action}"' in page
    response = owner_client.post(action, follow=True)
    wrong.refresh_from_db()
    assert response.redirect_chain[-1][0] == wrong.conversation.get_absolute_url()
    assert wrong.conversation.subject == "Also, my login fails"
    assert "moved this message here from another conversation" in response.content.decode()
    assert list(Message.objects.filter(conversation=email).values_list("body", flat=True)) == ["Where is my order?"]


def test_a_lone_message_has_no_move_out_and_a_forged_one_is_refused(owner_client, email):
    page = owner_client.get(email.get_absolute_url()).content.decode()
    assert "data-move-out" not in page
    only = email.messages.get()
    response = owner_client.post(reverse("followups:message_move_out", args=[only.pk]), follow=True)
    assert "already has a conversation of its own" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_another_colleague_may_not_move_a_message_out(other_client, email):
    second = message_receive(conversation=email, body="More", channel=Channel.EMAIL)
    assert other_client.post(reverse("followups:message_move_out", args=[second.pk])).status_code == 403
    assert Conversation.objects.count() == 1


def test_the_pages_read_in_the_readers_language(owner, owner_client, kakao, email):
    preferences_save(user=owner, changes={"language": "ko"})
    owner_client.force_login(owner)
    html = owner_client.get(merge_url(kakao)).content.decode()
    assert "다른 대화에 병합…" in html and "메시지 1개" in html
    assert "대화 병합" in owner_client.get(merge_url(kakao), {"into": email.pk}).content.decode()
    owner_client.post(merge_url(kakao), {"into": email.pk, "confirm": "1"})
    assert "님이" in owner_client.get(email.get_absolute_url()).content.decode()
    preferences_save(user=owner, changes={"language": "en"})
    owner_client.force_login(owner)
    assert "merged a conversation into this one" in owner_client.get(email.get_absolute_url()).content.decode()
