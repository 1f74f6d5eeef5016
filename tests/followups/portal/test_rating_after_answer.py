"""Customers are asked to rate us only after we answered or a check-in happened: neither the
signature of our emails nor the self-service page asks on a request nobody answered yet."""

import pytest

from agency_crm.outbox import OutboundEmail
from followups.care.feedback import feedback_signature_url
from followups.care.models import Checkin, FeedbackRequest
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import Channel
from followups.portal.links import portal_token
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, FeedbackRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hana(db):
    owner = UserFactory(username="minji")
    return ContactFactory(client=ClientFactory(account_owner=owner), email="hana@blue.example", preferred_language="en")


@pytest.fixture
def waiting(hana):
    talk = conversation_start(client=hana.client, contact=hana, subject="Delivery page", channel="web_form", actor=None)
    message_receive(conversation=talk, body="The delivery page does not open.", channel=Channel.WEB_FORM)
    return talk


def signature_link(hana, conversation=None) -> str:
    related = {"conversation_id": conversation.pk} if conversation else {}
    return feedback_signature_url(client=hana.client, to=[hana.email], related=related, language="en")


def test_no_rating_link_before_we_answered_and_one_after(hana, waiting):
    assert signature_link(hana, waiting) == "" and signature_link(hana) == ""
    assert not FeedbackRequest.objects.exists()
    conversation_reply(conversation=waiting, author=hana.client.account_owner, body="Fixed.", channel="email")
    reply = OutboundEmail.objects.get(kind=OutboundEmail.Kind.REPLY)
    assert "/feedback/" in reply.text_body
    assert "/feedback/" in signature_link(hana, waiting)


def test_a_check_in_that_happened_opens_the_rating_for_the_client(hana, waiting):
    planned = CheckinFactory(schedule__client=hana.client, contact=hana, status=Checkin.Status.SCHEDULED)
    assert signature_link(hana) == ""
    CheckinFactory(schedule=planned.schedule, contact=hana, status=Checkin.Status.DUE)
    assert "/feedback/" in signature_link(hana)


def test_the_self_service_page_asks_only_about_answered_requests(client, hana, waiting):
    FeedbackRequestFactory(
        client=hana.client, contact=hana, conversation=waiting, source=FeedbackRequest.Source.SIGNATURE
    )
    FeedbackRequestFactory(client=hana.client, contact=hana, conversation=None, source=FeedbackRequest.Source.SIGNATURE)
    page = client.get(f"/my/{portal_token(hana)}/").content.decode()
    assert 'data-testid="portal-feedback"' not in page and "Tell us how we did" not in page
    conversation_reply(conversation=waiting, author=hana.client.account_owner, body="Fixed.", channel="email")
    page = client.get(f"/my/{portal_token(hana)}/").content.decode()
    assert page.count('data-testid="portal-feedback"') >= 2
