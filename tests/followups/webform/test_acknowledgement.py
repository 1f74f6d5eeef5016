"""The contact form's acknowledgement says that we got the message and by when we answer, and
carries the self-service link; it repeats neither the visitor's words nor their name (anyone can
type any address, so it must not carry their text from the agency's address), and asks for no
rating before anyone answered."""

import datetime as dt

import pytest
import time_machine

from agency_crm.outbox import OutboundEmail
from tests.factories import ContactFactory
from tests.followups.test_webform import MONDAY_10, post

pytestmark = pytest.mark.django_db
SPAM = "Buy cheap pills at http://spam.example"


def acknowledgement() -> OutboundEmail:
    (ack,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT)
    return ack


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_acknowledgement_repeats_neither_the_text_nor_the_name(client, manager, language):
    with time_machine.travel(MONDAY_10, tick=False):
        post(client, {"name": "Pill Seller", "message": f"{SPAM}\nBest prices"}, HTTP_ACCEPT_LANGUAGE=language)
    ack = acknowledgement()
    for part in (ack.subject, ack.text_body, ack.html_body):
        assert "spam.example" not in part and "cheap pills" not in part.lower()
        assert "Pill Seller" not in part and "Best prices" not in part
    if language == "en":
        assert "We received your message" in ack.subject
        assert "We will answer by Mon 30 Nov 2026, 18:00 KST." in ack.text_body
    else:
        assert "2026년 11월 30일 (월) 오후 6:00 KST" in ack.text_body


def test_a_known_contact_gets_the_self_service_link_and_no_rating_link(client, manager):
    ContactFactory(email="minji@customer.example", preferred_language="en")
    post(client, {"email": "minji@customer.example"})
    ack = acknowledgement()
    assert "/my/" in ack.text_body and "/my/" in ack.html_body
    assert "/feedback/" not in ack.text_body and "/feedback/" not in ack.html_body


def test_the_acknowledgement_keeps_its_thread(client, manager):
    with time_machine.travel(MONDAY_10 + dt.timedelta(minutes=1), tick=False):
        post(client)
    ack = acknowledgement()
    assert "[#" in ack.subject and ack.reply_to  # the reply token: a reply joins the conversation
