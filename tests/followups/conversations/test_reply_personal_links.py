"""A customer's personal links (self-service, feedback) travel only in an email to that one
person: a Cc'd outsider or a second recipient must never get a working link of someone else, and
the composer's preview shows placeholders and writes nothing."""

import re

import pytest
from django.test import Client

from agency_crm.outbox import OutboundEmail
from followups.care.models import FeedbackRequest
from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, Message
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

PORTAL = re.compile(r"/my/[^/\s]+/")
FEEDBACK = re.compile(r"/feedback/[^/\s]+/")


@pytest.fixture
def conversation(owner):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    contact = ContactFactory(client=client, name="Emma Collins", email="emma@blue.example", preferred_language="en")
    ContactFactory(client=client, name="Tom Park", email="tom@blue.example", preferred_language="en")
    conversation = conversation_start(client=client, contact=contact, subject="Invoice", channel="email", actor=None)
    message_receive(conversation=conversation, body="Where is the invoice?", channel=Channel.EMAIL)
    return conversation


def reply(http, conversation, **data):
    values = {"channel": "email", "body": "Here it is."} | data
    return http.post(f"/conversations/{conversation.pk}/reply/", values)


def sent_email(conversation) -> OutboundEmail:
    return OutboundEmail.objects.get(related__conversation_id=conversation.pk)


def test_an_email_to_the_contact_alone_carries_their_links(owner_client, conversation):
    assert reply(owner_client, conversation, to=[conversation.contact_id]).status_code == 302
    email = sent_email(conversation)
    assert PORTAL.search(email.text_body) and FEEDBACK.search(email.text_body)
    assert PORTAL.search(email.html_body) and FEEDBACK.search(email.html_body)


def test_a_cc_recipient_gets_no_personal_link(owner_client, conversation):
    response = reply(owner_client, conversation, to=[conversation.contact_id], cc="outsider@evil.example")
    assert response.status_code == 302
    email = sent_email(conversation)
    assert email.cc == ["outsider@evil.example"]
    for body in (email.text_body, email.html_body):
        assert not PORTAL.search(body), body
        assert not FEEDBACK.search(body), body
        assert "/unsubscribe/" not in body
    # And no feedback request was made for an email that carries none.
    assert not FeedbackRequest.objects.filter(conversation=conversation).exists()


def test_two_recipients_get_no_personal_link(owner_client, conversation):
    tom = conversation.client.contacts.get(name="Tom Park")
    assert reply(owner_client, conversation, to=[conversation.contact_id, tom.pk]).status_code == 302
    email = sent_email(conversation)
    assert email.to == ["emma@blue.example", "tom@blue.example"]
    for body in (email.text_body, email.html_body):
        assert not PORTAL.search(body) and not FEEDBACK.search(body), body


def test_the_outbox_refuses_a_personal_link_in_an_email_to_several_people(conversation):
    from agency_crm.outbox import outbox_enqueue

    with pytest.raises(ValueError, match="personal"):
        outbox_enqueue(
            to=["emma@blue.example"],
            cc=["outsider@evil.example"],
            subject="Check-in",
            template="message",
            context={"body": "Hello", "portal_url": "http://testserver/my/abc/"},
            kind=OutboundEmail.Kind.REPLY,
            client=conversation.client,
        )
    with pytest.raises(ValueError, match="personal"):
        outbox_enqueue(
            to=["emma@blue.example", "tom@blue.example"],
            subject="Check-in",
            template="message",
            context={"body": "Hello"},
            kind=OutboundEmail.Kind.REPLY,
            client=conversation.client,
            unsubscribe_url="http://testserver/unsubscribe/abc/",
        )


def test_the_preview_writes_nothing_and_shows_placeholders(owner_client, conversation):
    before = (FeedbackRequest.objects.count(), OutboundEmail.objects.count(), Message.objects.count())
    response = owner_client.post(
        f"/conversations/{conversation.pk}/reply/preview/",
        {"channel": "email", "body": "Here it is.", "to": [conversation.contact_id]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (FeedbackRequest.objects.count(), OutboundEmail.objects.count(), Message.objects.count()) == before
    assert not PORTAL.search(page) and not FEEDBACK.search(page), page
    assert "[self-service link]" in page and "[feedback link]" in page


def test_a_preview_in_korean_shows_korean_placeholders(owner, conversation):
    contact = conversation.contact
    contact.preferred_language = "ko"
    contact.save()
    http = Client(HTTP_ACCEPT_LANGUAGE="ko")
    http.force_login(owner)
    response = http.post(
        f"/conversations/{conversation.pk}/reply/preview/",
        {"channel": "email", "body": "보냅니다.", "to": [conversation.contact_id]},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert not PORTAL.search(page) and not FEEDBACK.search(page)
    assert "[내 요청 페이지 링크]" in page and "[피드백 링크]" in page


# --- the composer's file limits agree with the request limit ---------------------------------
MB = 1024 * 1024


def test_the_composer_says_its_file_limits_before_the_upload(owner_client, conversation):
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Up to 5 files, 10.0\xa0MB each and 15.0\xa0MB in all." in page


def test_a_6_mb_file_goes_out_with_the_email(owner_client, conversation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = reply(
        owner_client,
        conversation,
        to=[conversation.contact_id],
        attachments=[SimpleUploadedFile("design.pdf", b"x" * (6 * MB), content_type="application/pdf")],
    )
    assert response.status_code == 302
    assert [a.size for a in sent_email(conversation).attachments.all()] == [6 * MB]


def test_a_file_over_the_per_file_limit_gets_the_forms_own_error(owner_client, conversation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = reply(
        owner_client,
        conversation,
        to=[conversation.contact_id],
        attachments=[SimpleUploadedFile("video.mp4", b"x" * (11 * MB), content_type="video/mp4")],
    )
    assert response.status_code == 400
    assert "video.mp4 is larger than 10.0\xa0MB." in response.content.decode()
    assert not OutboundEmail.objects.filter(related__conversation_id=conversation.pk).exists()


# --- the email's language is the one it is written in ----------------------------------------
def test_a_second_recipient_does_not_switch_the_emails_language(owner_client, owner):
    client = ClientFactory(name="Haneul", account_owner=owner)
    woosung = ContactFactory(client=client, name="정우성", email="ws@haneul.example", preferred_language="ko")
    sarah = ContactFactory(client=client, name="Sarah Kim", email="sarah@haneul.example", preferred_language="en")
    conversation = conversation_start(client=client, contact=woosung, subject="배송", channel="email", actor=None)
    message_receive(conversation=conversation, body="언제 오나요?", channel=Channel.EMAIL)
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'id="id_language"' in page  # the composer's own choice of language
    response = reply(owner_client, conversation, body="내일 보냅니다.", to=[sarah.pk, woosung.pk])
    assert response.status_code == 302
    email = sent_email(conversation)
    assert email.language == "ko" and "경영진" in email.text_body  # the Korean footer
    # The writer may choose another language for the whole email.
    reply(owner_client, conversation, body="Tomorrow.", to=[sarah.pk, woosung.pk], language="en")
    latest = OutboundEmail.objects.filter(related__conversation_id=conversation.pk).latest("id")
    assert latest.language == "en" and "management" in latest.text_body
