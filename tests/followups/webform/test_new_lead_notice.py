"""A new conversation from the contact form (the page and the embedded form) tells its owner at
once in the bell, or the managers when it waits in triage; each person's /settings/ choice of
an instant email for "A customer wrote through the contact form" holds."""

import pytest

from agency_crm.outbox import OutboundEmail
from agency_crm.preferences.models import Preferences
from followups.models import Conversation, Notification, WebFormSettings
from tests.factories import ClientFactory, ContactFactory, ManagerFactory
from tests.followups.test_webform import post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/contact/", "/contact/embed/"])
def test_the_owner_of_a_known_customer_gets_a_bell_notice(client, manager, owner, url):
    ContactFactory(client=ClientFactory(account_owner=owner), email="minji@customer.example")
    post(
        client,
        {"email": "minji@customer.example", "message": "배송 조회 화면이 열리지 않습니다.\n확인 부탁드립니다."},
        url=url,
    )
    conversation = Conversation.objects.get()
    (notice,) = Notification.objects.filter(kind="conversation.customer_wrote")
    assert notice.recipient == owner and notice.conversation == conversation
    assert "contact form" in notice.title and "배송 조회 화면이 열리지 않습니다." in notice.title
    assert notice.email_pending  # no instant choice: it goes into the next summary email


def test_a_triaged_visitor_is_told_to_every_manager(client, manager, owner):
    WebFormSettings.objects.update_or_create(pk=1, defaults={"unknown_visitors": "triage"})
    second = ManagerFactory(username="second-boss")
    post(client)
    recipients = set(
        Notification.objects.filter(kind="conversation.customer_wrote").values_list("recipient", flat=True)
    )
    assert recipients == {manager.pk, second.pk}


def test_a_person_who_asked_for_it_at_once_gets_the_email_at_once(client, manager, owner):
    Preferences.objects.create(user=owner, instant_kinds=["conversation.customer_wrote"])
    ContactFactory(client=ClientFactory(account_owner=owner), email="minji@customer.example")
    post(client, {"email": "minji@customer.example"})
    notice = Notification.objects.get(kind="conversation.customer_wrote")
    assert not notice.email_pending
    assert OutboundEmail.objects.filter(to=[owner.email]).exists()


def test_a_filtered_post_tells_nobody(client, manager):
    post(client, {"website": "x"})
    assert not Notification.objects.exists()
