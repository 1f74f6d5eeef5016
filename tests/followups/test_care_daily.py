"""The daily care run: due check-in emails (exactly once, even concurrently), opt-out, calls and
visits, overdue reminders, feedback requests for closed conversations."""

import datetime as dt

import pytest
import time_machine

from agency_crm.outbox import OutboundEmail
from clients.models import TimelineEvent
from followups.care.daily import care_run_daily
from followups.care.models import ensure_default_checkin_plans
from followups.conversations.services import conversation_start, message_receive, wait_close_no_reply_needed
from followups.models import Checkin, Conversation, FeedbackRequest, Message, Notification
from tests.concurrency import run_at_once
from tests.followups.care_factories import (  # noqa: F401
    CheckinFactory,
    ClientFactory,
    ContactFactory,
    UserFactory,
    default_checkin_plans,
    seoul,
)

MONDAY_10 = seoul(2026, 11, 23, 10)


def checkin_emails():
    return OutboundEmail.objects.filter(kind=OutboundEmail.Kind.CHECKIN)


@pytest.mark.django_db
def test_a_due_email_check_in_is_sent_to_the_customer_in_their_language():
    checkin = CheckinFactory(
        contact__preferred_language="ko",
        contact__name="김민수",
        contact__email="minsu@customer.example",
        due_on=dt.date(2026, 11, 23),
    )
    with time_machine.travel(MONDAY_10, tick=False):
        result = care_run_daily()
    assert result["handled"] == 1
    email = checkin_emails().get()
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.DUE and checkin.handled_at == MONDAY_10
    assert email.to == [checkin.contact.email] and email.language == "ko"
    assert email.client == checkin.client
    # A conversation of its own, with our message, so the customer's reply threads into it.
    conversation = checkin.conversation
    assert email.related["conversation_id"] == conversation.pk
    assert f"[#{conversation.pk}-" in email.subject and f"+{conversation.pk}-" in email.reply_to
    message = Message.objects.get(conversation=conversation)
    assert message.direction == Message.Direction.FROM_US and message.author_user == checkin.owner
    assert "김민수" in message.body and "김민수" in email.text_body
    # Unsubscribe header and link, and a feedback link for this check-in.
    assert email.headers["List-Unsubscribe"].startswith("<http") and "/unsubscribe/" in email.text_body
    feedback = FeedbackRequest.objects.get(checkin=checkin)
    assert feedback.language == "ko" and "/feedback/" in email.text_body
    assert TimelineEvent.objects.filter(client=checkin.client, kind="checkin.emailed").exists()


@pytest.mark.django_db
def test_nothing_goes_out_outside_business_hours():
    CheckinFactory(due_on=dt.date(2026, 11, 23))
    with time_machine.travel(seoul(2026, 11, 23, 7), tick=False):
        assert care_run_daily()["handled"] == 0
    with time_machine.travel(seoul(2026, 11, 22, 11), tick=False):  # a Sunday
        assert care_run_daily()["handled"] == 0
    assert not checkin_emails().exists()


@pytest.mark.django_db
def test_an_opted_out_contact_never_gets_a_check_in_email_the_owner_calls_instead():
    checkin = CheckinFactory(contact__accepts_checkins=False, due_on=dt.date(2026, 11, 20))
    with time_machine.travel(MONDAY_10, tick=False):
        care_run_daily()
        care_run_daily()
    assert not checkin_emails().exists()
    assert not FeedbackRequest.objects.exists()
    checkin.refresh_from_db()
    assert checkin.channel == "call" and checkin.converted_from_email and checkin.status == Checkin.Status.DUE
    notification = Notification.objects.get(recipient=checkin.owner)
    assert notification.kind == "checkin.call_task" and checkin.client.name in notification.title


@pytest.mark.django_db
def test_a_due_call_or_visit_notifies_the_owner_once():
    call = CheckinFactory(channel="call", due_on=dt.date(2026, 11, 23))
    visit = CheckinFactory(channel="visit", due_on=dt.date(2026, 11, 23), owner=call.owner)
    with time_machine.travel(MONDAY_10, tick=False):
        care_run_daily()
        care_run_daily()
    assert Notification.objects.filter(recipient=call.owner, kind="checkin.due").count() == 2
    assert not checkin_emails().exists()
    assert {c.status for c in Checkin.objects.filter(pk__in=[call.pk, visit.pk])} == {Checkin.Status.DUE}


@pytest.mark.django_db
def test_a_check_in_without_outcome_becomes_overdue_after_two_business_days_and_reminds_once():
    checkin = CheckinFactory(channel="call", due_on=dt.date(2026, 11, 20))  # a Friday
    with time_machine.travel(seoul(2026, 11, 20, 10), tick=False):
        care_run_daily()
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):  # Monday: one business day
        assert care_run_daily()["overdue"] == 0
    with time_machine.travel(seoul(2026, 11, 24, 10), tick=False):  # Tuesday: two
        assert care_run_daily()["overdue"] == 1
        assert care_run_daily()["overdue"] == 0
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.OVERDUE
    assert Notification.objects.filter(recipient=checkin.owner, kind="checkin.overdue").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_daily_runs_send_each_due_email_exactly_once():
    ensure_default_checkin_plans()
    owner = UserFactory()
    checkins = [
        CheckinFactory(client=ClientFactory(account_owner=owner), due_on=dt.date(2026, 11, 23)) for _ in range(6)
    ]
    results = run_at_once(lambda: care_run_daily(now=MONDAY_10), threads=2)
    assert sum(result["handled"] for result in results) == len(checkins)
    assert checkin_emails().count() == len(checkins)
    for checkin in checkins:
        assert checkin_emails().filter(related__checkin_id=checkin.pk).count() == 1
        assert Conversation.objects.filter(checkins=checkin).count() == 1


@pytest.mark.django_db
def test_a_closed_conversation_is_asked_for_feedback_once(owner):
    contact = ContactFactory(client__account_owner=owner, preferred_language="en")
    conversation = conversation_start(
        client=contact.client, contact=contact, subject="Invoice", channel="email", actor=owner
    )
    with time_machine.travel(seoul(2026, 11, 23, 9, 30), tick=False):
        message_receive(conversation=conversation, body="Thanks!", channel="email")
        wait_close_no_reply_needed(conversation=conversation, actor=owner, reason="Just thanks")
    with time_machine.travel(MONDAY_10, tick=False):
        assert care_run_daily()["feedback_requests"] == 1
        assert care_run_daily()["feedback_requests"] == 0
    feedback = FeedbackRequest.objects.get(conversation=conversation)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.FEEDBACK_REQUEST)
    assert feedback.source == FeedbackRequest.Source.CONVERSATION and email.to == [contact.email]
    assert email.headers["Auto-Submitted"] == "auto-generated" and "/feedback/" in email.text_body


@pytest.mark.django_db
def test_an_open_conversation_or_an_opted_out_contact_is_not_asked(owner):
    contact = ContactFactory(client__account_owner=owner, accepts_checkins=False)
    closed = conversation_start(client=contact.client, contact=contact, subject="A", channel="email", actor=owner)
    waiting = conversation_start(
        client=contact.client, contact=ContactFactory(client=contact.client), subject="B", channel="email", actor=owner
    )
    with time_machine.travel(seoul(2026, 11, 23, 9, 30), tick=False):
        message_receive(conversation=closed, body="Thanks!", channel="email")
        wait_close_no_reply_needed(conversation=closed, actor=owner, reason="Just thanks")
        message_receive(conversation=waiting, body="Help?", channel="email")
    with time_machine.travel(MONDAY_10, tick=False):
        assert care_run_daily()["feedback_requests"] == 0
    assert not FeedbackRequest.objects.exists()


@pytest.mark.django_db
def test_the_customers_reply_to_a_check_in_email_lands_in_its_conversation():
    from followups.mailin.ingest import mail_ingest
    from tests.followups.mailin_support import build_email

    checkin = CheckinFactory(contact__email="emma@blueharbor.example", due_on=dt.date(2026, 11, 23))
    with time_machine.travel(MONDAY_10, tick=False):
        care_run_daily()
    email = checkin_emails().get()
    reply = build_email(
        from_=f"Emma <{checkin.contact.email}>",
        subject=f"Re: {email.subject}",
        body="Everything works, but the export is slow.",
        in_reply_to=email.message_id,
        references=[email.message_id],
    )
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=1), tick=False):
        result = mail_ingest(raw=reply.as_bytes(), source="test")
    assert result.outcome == "ingested"
    checkin.refresh_from_db()
    assert result.email.conversation_id == checkin.conversation_id
    received = Message.objects.get(conversation=checkin.conversation, direction=Message.Direction.FROM_CUSTOMER)
    assert "export is slow" in received.body


@pytest.mark.django_db
def test_a_closed_check_in_conversation_is_not_asked_for_feedback_a_second_time():
    checkin = CheckinFactory(due_on=dt.date(2026, 11, 23))
    with time_machine.travel(MONDAY_10, tick=False):
        care_run_daily()
    checkin.refresh_from_db()
    Conversation.objects.filter(pk=checkin.conversation_id).update(status=Conversation.Status.CLOSED)
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=1), tick=False):
        assert care_run_daily()["feedback_requests"] == 0
    assert FeedbackRequest.objects.filter(conversation=checkin.conversation).count() == 1
