"""Every email the product sends, and the personal tokens it carries: a self-service, feedback,
unsubscribe or proposal link opens a page as one customer, so it may only travel in an email to
that customer alone. Emails to several people (a Cc, two contacts) and emails to our own staff
(notifications, the weekly review) carry none.

The product has no Bcc: the composer offers To and Cc only."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import Resolver404, resolve
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from followups.care.checkins import checkin_handle_due
from followups.care.feedback import feedback_request_load, feedback_request_send
from followups.care.unsubscribe import unsubscribe_contact_load
from followups.conversations.services import conversation_reply
from followups.dashboard.weekly_review import weekly_review_send
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from followups.models import Conversation, ResponsePolicy, ensure_default_policies
from followups.portal.links import portal_contact
from followups.portal.services import portal_link_request
from followups.reminders.services import notification_emails_send, notify
from inquiries.models import Proposal
from inquiries.services import proposal_key_from_token, proposal_send
from tests.factories import ClientFactory, ContactFactory, ManagerFactory
from tests.followups.care_factories import CheckinFactory, default_checkin_plans  # noqa: F401
from tests.followups.mailin_support import build_email
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db

SEOUL = dt.timezone(dt.timedelta(hours=9))
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SEOUL)
URL = re.compile(r"https?://testserver(/[^\s\"'<>]*)")


def _owner_of(path: str):
    """The contact a link on our site opens a page as, or None for a link that is nobody's."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    token = match.kwargs.get("token") or match.kwargs.get("signed_token")
    if match.view_name == "followups:portal_home":
        return ("self-service", portal_contact(token).pk)
    if match.view_name == "followups:feedback":
        return ("feedback", feedback_request_load(signed_token=token).contact_id)
    if match.view_name == "followups:unsubscribe":
        return ("unsubscribe", unsubscribe_contact_load(signed_token=token).pk)
    if match.view_name == "inquiries:public_proposal":
        return ("proposal", Proposal.objects.get(key=proposal_key_from_token(token)).inquiry.contact_id)
    assert "token" not in match.kwargs, f"{match.view_name} takes a token: add it here"
    return None


def personal_tokens(email: OutboundEmail) -> set[tuple[str, int]]:
    text = "\n".join([email.text_body, email.html_body, *email.headers.values()])
    return {owner for path in URL.findall(text) if (owner := _owner_of(urlsplit(path).path))}


@pytest.fixture
def world(owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner.email = "minji@agency.example"
    owner.save()
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    emma = ContactFactory(client=client, name="Emma", email="emma@blue.example", preferred_language="en")
    tom = ContactFactory(client=client, name="Tom", email="tom@blue.example", preferred_language="ko")
    return client, emma, tom


def test_every_email_carries_only_its_one_recipients_tokens(world, owner):
    client, emma, tom = world
    manager = ManagerFactory(username="boss", email="boss@agency.example")
    ensure_default_policies()  # transactional tests elsewhere flush the data migration's rows
    ResponsePolicy.objects.update(send_acknowledgement=True)
    with time_machine.travel(MONDAY_9 - dt.timedelta(days=3), tick=False):
        # An email from Emma: acknowledged, then answered three ways.
        mail_ingest(
            raw=build_email(from_="emma@blue.example", subject="Invoice", body="Where is it?").as_bytes(),
            source=MailSource.IMAP,
        )
        conversation = Conversation.objects.get(contact=emma)
        for to, cc in (([emma], []), ([emma], ["outsider@evil.example"]), ([emma, tom], [])):
            conversation_reply(conversation=conversation, author=owner, body="Here", channel="email", to=to, cc=cc)
        # Closed: Emma is asked for feedback. A proposal, a check-in and a link she asked for.
        Conversation.objects.filter(pk=conversation.pk).update(status=Conversation.Status.CLOSED)
        feedback_request_send(conversation=Conversation.objects.get(pk=conversation.pk))
        inquiry = InquiryFactory(client=client, contact=emma)
        ScopeItemFactory(inquiry=inquiry)
        proposal_send(inquiry=inquiry, actor=owner)
        checkin_handle_due(checkin_id=CheckinFactory(client=client, contact=tom).pk, now=timezone.now())
        portal_link_request(email="tom@blue.example")
        # Our own staff: a notification email and the weekly review.
        notify(recipients=[owner], kind="reminder.due", title="Reply due")
        notification_emails_send(now=timezone.now())
    with time_machine.travel(MONDAY_9, tick=False):
        weekly_review_send()
        # Read while the links are fresh (they expire).
        emails = [(email, personal_tokens(email)) for email in OutboundEmail.objects.order_by("id")]

    contacts = {emma.email: emma.pk, tom.email: tom.pk}
    seen = {}
    for email, tokens in emails:
        recipients = {a.lower() for a in [*email.to, *email.cc]}
        if email.kind in (OutboundEmail.Kind.REMINDER, OutboundEmail.Kind.WEEKLY_REVIEW):
            assert not tokens, (email.kind, tokens)
        elif len(recipients) > 1:
            assert not tokens, (email.kind, email.to, email.cc, tokens)
        else:
            (address,) = recipients
            assert {owner for _kind, owner in tokens} <= {contacts[address]}, (email.kind, address, tokens)
        seen.setdefault((email.kind, len(recipients) > 1), set()).update(kind for kind, _o in tokens)

    K = OutboundEmail.Kind
    assert seen == {
        (K.ACKNOWLEDGEMENT, False): {"self-service"},  # nobody answered yet: nothing to rate
        (K.REPLY, False): {"self-service", "feedback"},
        (K.REPLY, True): set(),  # the Cc'd one and the one to Emma and Tom
        (K.FEEDBACK_REQUEST, False): {"self-service", "feedback", "unsubscribe"},
        (K.PROPOSAL, False): {"self-service", "feedback", "proposal"},
        (K.CHECKIN, False): {"self-service", "feedback", "unsubscribe"},
        (K.SELF_SERVICE_LINK, False): {"self-service", "feedback"},
        (K.REMINDER, False): set(),
        (K.WEEKLY_REVIEW, False): set(),
    }, seen
    assert manager.email in {e.to[0] for e in OutboundEmail.objects.filter(kind=K.WEEKLY_REVIEW)}
