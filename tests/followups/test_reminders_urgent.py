"""Urgent notices reach people at once, in an email of their own whose subject says what
happened; routine reminders are batched. Emails to staff carry no customer-facing signature
(issue 14.11)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agency_crm.outbox import OutboundEmail
from followups.care.checkins import checkin_complete
from followups.care.feedback import feedback_submit
from followups.models import Checkin, FeedbackRequest, Notification, ResponsePolicy, Sentiment
from followups.reminders.services import notification_emails_send, notify, reminders_run
from tests.factories import ManagerFactory
from tests.followups.care_factories import CheckinFactory
from tests.followups.factories import ClientFactory, ContactFactory, ConversationFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL)  # a Wednesday morning
CUSTOMER_LINE = "Not happy with our service?"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def boss(db):
    return ManagerFactory(username="boss", first_name="Seoyeon", last_name="Kim", email="boss@agency.example")


def _emails_to(user):
    return [e for e in OutboundEmail.objects.order_by("created_at", "id") if e.to == [user.email]]


def test_not_good_feedback_emails_every_manager_at_once_with_what_happened(boss):
    client = ClientFactory(name="Blue Harbor")
    conversation = ConversationFactory(client=client, subject="Loyalty points")
    feedback = FeedbackRequest.objects.create(
        source=FeedbackRequest.Source.CONVERSATION,
        client=client,
        contact=ContactFactory(client=client, name="Emma"),
        conversation=conversation,
        owner=conversation.owner,
        channel=conversation.channel,
    )
    feedback_submit(feedback=feedback, rating="not_good", comment="Nobody called back")
    (email,) = _emails_to(boss)  # no batching run needed
    assert "Not good" in email.subject and "Emma" in email.subject and "Blue Harbor" in email.subject
    assert "attention" not in email.subject
    assert "Nobody called back" in email.text_body
    assert CUSTOMER_LINE not in email.text_body and "/feedback/" not in email.text_body
    notification = Notification.objects.get(recipient=boss, kind="feedback.not_good")
    assert notification.email_pending is False and notification.emailed_at == NOW
    assert notification_emails_send() == 0  # and it is not sent again in the next digest


def test_an_escalation_is_emailed_at_once_and_a_warning_waits_for_the_digest(boss, owner):
    ResponsePolicy.objects.update_or_create(
        tier="", defaults={"first_response_minutes": 60, "next_reply_minutes": 60, "around_the_clock": True}
    )
    ResponsePolicy.objects.exclude(tier="").delete()
    from followups.conversations.services import conversation_start, message_receive

    client = ClientFactory(name="Namsan Fitness", account_owner=owner)
    conversation = conversation_start(client=client, subject="Invoice", channel="email", actor=owner)
    message_receive(conversation=conversation, body="Where is it?", channel="email", occurred_at=NOW)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        reminders_run()
    (escalation,) = [e for e in _emails_to(boss) if "Escalation" in e.subject]
    assert "Invoice" in escalation.subject and "Namsan Fitness" in escalation.subject
    assert CUSTOMER_LINE not in escalation.text_body
    # The owner's warning and due notice are routine: one batched digest.
    owner_emails = _emails_to(owner)
    assert len(owner_emails) == 1 and "need your attention" in owner_emails[0].subject
    assert CUSTOMER_LINE not in owner_emails[0].text_body and CUSTOMER_LINE not in owner_emails[0].html_body


def test_a_check_in_at_risk_reaches_managers_at_once(boss, owner):
    client = ClientFactory(name="서울 치과의원", account_owner=owner)
    checkin = CheckinFactory(schedule__client=client, owner=owner, status=Checkin.Status.DUE)
    checkin_complete(
        checkin=checkin, actor=owner, outcome="They are looking at other agencies", sentiment=Sentiment.AT_RISK
    )
    (email,) = _emails_to(boss)
    assert "서울 치과의원" in email.subject
    assert "other agencies" in email.text_body


def test_a_routine_notice_is_not_emailed_at_once(boss):
    notify(recipients=[boss], kind="conversation.assigned", title="Junho handed you a conversation")
    assert _emails_to(boss) == []
    assert Notification.objects.get(recipient=boss).email_pending is True
