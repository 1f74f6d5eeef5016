"""The thread shows what an email reply carried: its Cc and the files sent with it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import Channel
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(owner):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    contact = ContactFactory(client=client, name="김하나", email="hana@blue.example", preferred_language="ko")
    conversation = conversation_start(client=client, contact=contact, subject="배송 문의", channel="email", actor=None)
    message_receive(conversation=conversation, body="언제 오나요?", channel=Channel.EMAIL)
    return conversation


def thread_item(html: str, message_pk: int) -> str:
    return re.search(rf'<li[^>]*id="message-{message_pk}".*?</li>', html, re.DOTALL).group(0)


def test_an_email_reply_shows_its_cc_and_files_in_the_thread(owner_client, owner, conversation):
    reply = conversation_reply(
        conversation=conversation,
        author=owner,
        body="견적서를 보내 드립니다.",
        channel=Channel.EMAIL,
        cc=["boss@blue.example", "pm@agency.example"],
        attachments=[SimpleUploadedFile("견적서 v2.pdf", b"%PDF-1.4 quote", content_type="application/pdf")],
    )
    item = thread_item(owner_client.get(conversation.get_absolute_url()).content.decode(), reply.pk)
    assert "boss@blue.example, pm@agency.example" in item
    assert "견적서 v2.pdf" in item


def test_a_reply_by_phone_shows_no_cc_or_files(owner_client, owner, conversation):
    reply = conversation_reply(conversation=conversation, author=owner, body="전화 드렸습니다.", channel=Channel.PHONE)
    item = thread_item(owner_client.get(conversation.get_absolute_url()).content.decode(), reply.pk)
    assert "data-sent-cc" not in item and "data-sent-files" not in item
