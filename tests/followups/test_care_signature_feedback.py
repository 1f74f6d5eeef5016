"""The management line of every customer email leads to the feedback page: replies and proposals
carry a signed feedback link (an acknowledgement, before anyone answered, does not); staff emails
do not."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine

from agency_crm.outbox import OutboundEmail
from followups.care.feedback import feedback_pick_up_closed
from followups.conversations.services import conversation_reply, message_receive, wait_close_no_reply_needed
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from followups.models import Channel, FeedbackRequest, Notification, ResponsePolicy
from followups.reminders.services import notification_emails_send, notify
from inquiries import services as inquiry_services
from tests.factories import ManagerFactory
from tests.followups.care_factories import seoul
from tests.followups.factories import ClientFactory, ContactFactory, ConversationFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db
NOW = seoul(2026, 11, 24, 10)  # a Tuesday morning
LINK = re.compile(r"You can also tell us here: (http://testserver/feedback/\S+/)")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def conversation(owner):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    contact = ContactFactory(client=client, name="Emma Stone", email="emma@blueharbor.example")
    conversation = ConversationFactory(client=client, contact=contact, subject="Loyalty points", owner=owner)
    message_receive(conversation=conversation, body="Points are missing.", channel=Channel.EMAIL)
    return conversation


def _reply(conversation, owner, body="We are on it."):
    conversation_reply(conversation=conversation, author=owner, body=body, channel=Channel.EMAIL)
    return OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REPLY).latest("pk")


def _link(email: OutboundEmail) -> str:
    match = LINK.search(email.text_body)
    assert match, email.text_body
    assert f'href="{match.group(1)}"' in email.html_body
    return urlsplit(match.group(1)).path


def test_a_reply_email_carries_a_feedback_link_about_its_conversation(client, conversation, owner):
    email = _reply(conversation, owner)
    assert "reaches our management directly" in email.text_body
    link = _link(email)

    (feedback,) = FeedbackRequest.objects.all()
    assert feedback.source == FeedbackRequest.Source.SIGNATURE
    assert feedback.conversation == conversation
    assert feedback.contact == conversation.contact
    assert feedback.owner == owner and feedback.channel == Channel.EMAIL

    response = client.get(link)
    assert response.status_code == 200
    assert "About: Loyalty points" in response.content.decode()


def test_not_good_through_the_signature_reaches_every_manager(client, conversation, owner):
    boss = ManagerFactory(username="boss2")
    link = _link(_reply(conversation, owner))
    client.post(link, {"rating": "not_good", "comment": "Still no points <b>after a week</b>"})
    (notification,) = Notification.objects.filter(kind="feedback.not_good")
    assert notification.recipient == boss
    assert notification.conversation == conversation
    assert "Still no points <b>after a week</b>" in notification.body  # stored as text, escaped when shown


def test_a_thread_reuses_the_unanswered_link_and_gets_a_fresh_one_once_it_was_answered(
    client, conversation, owner, frozen
):
    first = _link(_reply(conversation, owner))
    second = _link(_reply(conversation, owner, body="Fixed now."))
    assert FeedbackRequest.objects.count() == 1
    assert first == second  # signed at the same frozen instant, same request

    client.post(first, {"rating": "great"})
    frozen.shift(dt.timedelta(minutes=5))
    message_receive(conversation=conversation, body="Thanks! One more thing.", channel=Channel.EMAIL)
    _reply(conversation, owner, body="Sure.")
    assert FeedbackRequest.objects.filter(source=FeedbackRequest.Source.SIGNATURE).count() == 2
    assert FeedbackRequest.objects.filter(rating="great").count() == 1


def test_the_signature_link_does_not_replace_asking_a_closed_conversation(conversation, owner, frozen):
    _reply(conversation, owner)
    frozen.shift(dt.timedelta(minutes=30))
    message_receive(conversation=conversation, body="Thanks, all good.", channel=Channel.EMAIL)
    wait_close_no_reply_needed(conversation=conversation, actor=owner, reason="Just a thank-you")
    frozen.shift(dt.timedelta(minutes=30))
    assert feedback_pick_up_closed(now=NOW + dt.timedelta(hours=1)) == 1
    sources = sorted(FeedbackRequest.objects.values_list("source", flat=True))
    assert sources == ["conversation", "signature"]
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.FEEDBACK_REQUEST).count() == 1


def test_the_proposal_email_has_the_signature_and_a_link_for_the_contact(owner, client):
    inquiry = InquiryFactory(owner=owner, title="예약 앱", contact__preferred_language="ko")
    ScopeItemFactory(inquiry=inquiry, priority="must")
    inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.PROPOSAL)
    assert email.language == "ko"
    assert "/p/" in email.text_body
    assert "경영진에게 바로 전달됩니다" in email.text_body  # the management line, in Korean
    match = re.search(r"(http://testserver/feedback/\S+/)", email.text_body)
    assert match, email.text_body
    (feedback,) = FeedbackRequest.objects.all()
    assert feedback.source == FeedbackRequest.Source.SIGNATURE
    assert feedback.conversation is None
    assert feedback.client == inquiry.client and feedback.contact == inquiry.contact
    assert client.get(urlsplit(match.group(1)).path).status_code == 200


def test_an_acknowledgement_asks_for_no_rating_before_anyone_answered(owner, settings, tmp_path):
    # Nothing to rate yet (tests/followups/portal/test_rating_after_answer.py): the management
    # line stays, the rating link comes with our first answer.
    settings.MEDIA_ROOT = tmp_path / "media"
    ResponsePolicy.objects.update(send_acknowledgement=True)
    client = ClientFactory(account_owner=owner)
    ContactFactory(client=client, email="minji@customer.example", preferred_language="en")
    mail_ingest(
        raw=build_email(from_="minji@customer.example", subject="견적 문의", date=NOW).as_bytes(),
        source=MailSource.IMAP,
    )
    ack = OutboundEmail.objects.get(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT)
    assert "reaches our management directly" in ack.text_body
    assert "/feedback/" not in ack.text_body and "/feedback/" not in ack.html_body
    assert not FeedbackRequest.objects.exists()


def test_emails_to_our_own_staff_have_no_feedback_link(owner):
    owner.email = "minji@agency.example"
    owner.save()
    notify(recipients=[owner], kind="reminder.due", title="Reply due")
    notification_emails_send(now=NOW)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.REMINDER)
    assert "feedback" not in email.text_body
    assert FeedbackRequest.objects.count() == 0
