"""The reply composer (issue 19): To the conversation's contact or others of its client, Cc, the
subject, files stored and sent through the outbox within their limits, the preview of the email
as sent, "When" only for logging, and the collision warnings (who else is there; a colleague's
newer reply asks for confirmation)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.models import OutboundAttachment
from agency_crm.outbox.services.delivery import _build_message
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import Channel, Message
from followups.presence.services import presence_touch
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(owner):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    contact = ContactFactory(client=client, name="김하나", email="hana@blue.example", preferred_language="ko")
    ContactFactory(client=client, name="Tom Park", email="tom@blue.example", preferred_language="en")
    ContactFactory(client=client, name="No Mail", email="")
    conversation = conversation_start(client=client, contact=contact, subject="배송 문의", channel="email", actor=None)
    message_receive(conversation=conversation, body="언제 오나요?", channel=Channel.EMAIL)
    return conversation


def post_reply(http, conversation, **data):
    values = {"channel": "email", "body": "내일 보냅니다."} | data
    return http.post(f"/conversations/{conversation.pk}/reply/", values)


def test_the_composer_offers_the_clients_contacts_with_an_address_and_the_subject(owner_client, conversation):
    form = owner_client.get(f"/conversations/{conversation.pk}/").context["reply_form"]
    assert [label for _pk, label in form.fields["to"].choices] == [
        "Tom Park <tom@blue.example>",
        "김하나 <hana@blue.example>",
    ]
    assert form.initial["to"] == [conversation.contact_id]
    assert form.initial["subject"] == "Re: 배송 문의"
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachments"' in page and "multiple" in page


def test_an_email_goes_to_the_chosen_contacts_with_cc_subject_and_files(owner_client, conversation):
    tom = conversation.client.contacts.get(name="Tom Park")
    response = post_reply(
        owner_client,
        conversation,
        to=[conversation.contact_id, tom.pk],
        cc="boss@blue.example, pm@agency.example",
        subject="배송 일정 안내",
        attachments=[
            SimpleUploadedFile("견적서.pdf", b"%PDF-1.4 quote", content_type="application/pdf"),
            SimpleUploadedFile("../../etc/passwd", b"root", content_type="text/plain"),
        ],
    )
    assert response.status_code == 302
    email = OutboundEmail.objects.get(related__conversation_id=conversation.pk)
    assert email.to == ["hana@blue.example", "tom@blue.example"]
    assert email.cc == ["boss@blue.example", "pm@agency.example"]
    assert email.subject.startswith("배송 일정 안내")
    assert email.language == "ko"
    assert [(a.filename, a.size) for a in email.attachments.all()] == [("견적서.pdf", 14), ("passwd", 4)]
    detail = owner_client.get(f"/outbox/{email.pk}/").content.decode()
    assert "견적서.pdf (14\xa0bytes), passwd (4\xa0bytes)" in detail
    built = _build_message(email, connection=None)
    # (Django hands a text/plain file back as text.)
    assert [(name, c if isinstance(c, bytes) else c.encode()) for name, c, _type in built.attachments] == [
        ("견적서.pdf", b"%PDF-1.4 quote"),
        ("passwd", b"root"),
    ]


def test_too_many_or_too_large_files_are_refused_and_nothing_is_sent(owner_client, conversation, settings):
    settings.OUTBOX_MAX_ATTACHMENT_BYTES = 10
    response = post_reply(owner_client, conversation, attachments=[SimpleUploadedFile("big.zip", b"x" * 11)])
    assert response.status_code == 400
    assert "big.zip is larger than 10" in response.content.decode()
    settings.OUTBOX_MAX_ATTACHMENT_BYTES = 1000
    settings.OUTBOX_MAX_ATTACHMENTS = 1
    files = [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]
    response = post_reply(owner_client, conversation, attachments=files)
    assert response.status_code == 400 and "Attach at most 1 files." in response.content.decode()
    assert "내일 보냅니다." in response.content.decode()  # the text is kept
    assert "Choose the files again: they were not sent." in response.content.decode()
    assert not OutboundEmail.objects.exists() and not OutboundAttachment.objects.exists()
    assert not conversation.messages.filter(direction=Message.Direction.FROM_US).exists()


def test_cc_must_be_addresses_and_to_only_the_clients_contacts(owner_client, conversation):
    response = post_reply(owner_client, conversation, cc="boss at blue")
    assert response.status_code == 400 and "Write Cc as email addresses" in response.content.decode()
    stranger = ContactFactory(email="x@other.example")
    assert post_reply(owner_client, conversation, to=[stranger.pk]).status_code == 400
    assert not OutboundEmail.objects.exists()


def test_when_is_only_for_logging_and_files_only_for_email(owner_client, conversation):
    response = post_reply(owner_client, conversation, occurred_at="2026-01-01T10:00")
    assert response.status_code == 400 and "An email is sent now" in response.content.decode()
    response = post_reply(owner_client, conversation, channel="phone", attachments=[SimpleUploadedFile("a.txt", b"a")])
    assert response.status_code == 400 and "Files are sent by email only" in response.content.decode()


def test_the_preview_shows_the_email_as_sent_and_writes_nothing(owner_client, conversation):
    response = owner_client.post(
        f"/conversations/{conversation.pk}/reply/preview/",
        {"channel": "email", "body": "<b>내일</b> 보냅니다.", "cc": "boss@blue.example", "subject": "안내"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "hana@blue.example" in html and "boss@blue.example" in html
    assert "&lt;b&gt;내일&lt;/b&gt; 보냅니다." in html and "<b>내일</b>" not in html
    assert "안내 [#" in html  # the subject with the conversation's reply token, as sent
    assert not OutboundEmail.objects.exists() and not Message.objects.filter(direction="out").exists()
    # An invalid draft answers inside the page too (200, so htmx swaps it in), with its errors.
    bad = owner_client.post(
        f"/conversations/{conversation.pk}/reply/preview/", {"channel": "email", "body": ""}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 200 and 'data-testid="reply-preview-errors"' in bad.content.decode()


def test_a_colleagues_newer_reply_asks_for_confirmation_and_keeps_the_text(owner_client, owner, conversation):
    seen = conversation.messages.order_by("-id").first().pk
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    conversation_reply(conversation=conversation, author=minji, body="방금 보냈어요", channel=Channel.EMAIL)
    response = post_reply(owner_client, conversation, body="제 답장입니다", seen=seen)
    page = response.content.decode()
    assert response.status_code == 400
    assert "박민지" in page and "방금 보냈어요" in page and "제 답장입니다" in page
    assert 'name="confirm_newer" value="1"' in page
    assert OutboundEmail.objects.count() == 1  # only 민지's
    # Confirmed: sent.
    response = post_reply(owner_client, conversation, body="제 답장입니다", seen=seen, confirm_newer="1")
    assert response.status_code == 302 and OutboundEmail.objects.count() == 2
    # The sender's own earlier reply never asks.
    response = post_reply(owner_client, conversation, body="하나 더", seen=seen + 1)
    assert response.status_code == 302


def test_colleagues_see_who_is_viewing_and_who_is_replying(owner, conversation):
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    first, second = Client(), Client()
    first.force_login(owner)
    second.force_login(minji)
    assert (
        first.post(f"/conversations/{conversation.pk}/presence/", {"state": "viewing"}).content.decode().strip() == ""
    )
    seen_by_minji = second.post(f"/conversations/{conversation.pk}/presence/", {"state": "replying"})
    assert "is viewing" in seen_by_minji.content.decode()
    seen_by_owner = first.post(f"/conversations/{conversation.pk}/presence/", {"state": "viewing"}).content.decode()
    assert "박민지 is replying" in seen_by_owner and 'data-presence="replying"' in seen_by_owner
    # Gone after PRESENCE_SECONDS without a poll.
    later = presence_touch(
        conversation=conversation, user=owner, state="viewing", now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    )
    assert later == []
    page = first.get(f"/conversations/{conversation.pk}/").content.decode()
    assert 'hx-trigger="load, every 12s"' in page
