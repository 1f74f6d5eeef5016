"""The reply button says what it does: "Send email" when the reply goes by email, "Record reply"
when it records a reply made by another channel (the composer's script switches between them)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from followups.conversations.services import message_receive
from followups.models import Channel
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.django_db
APP_JS = Path(__file__).resolve().parents[3] / "static" / "js" / "app.js"


def submit_button(html: str) -> str:
    return re.search(r'<form[^>]*id="reply-form".*?(<button[^>]*type="submit".*?</button>)', html, re.DOTALL).group(1)


def visible_labels(button: str) -> list[str]:
    return [text.strip() for attrs, text in re.findall(r"<span([^>]*)>([^<]*)</span>", button) if "hidden" not in attrs]


@pytest.fixture
def conversation():
    conversation = ConversationFactory(subject="Menu")
    message_receive(conversation=conversation, body="When?", channel=Channel.EMAIL)
    return conversation


def test_an_email_reply_button_reads_send_email(owner_client, conversation):
    html = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert visible_labels(submit_button(html)) == ["Send email"]


def test_a_reply_by_phone_reads_record_reply(owner_client, conversation):
    response = owner_client.post(f"/conversations/{conversation.pk}/reply/", {"channel": "phone", "body": ""})
    assert visible_labels(submit_button(response.content.decode())) == ["Record reply"]


def test_the_korean_button_reads_이메일_보내기(owner_client, conversation):
    with translation.override("ko"):
        owner_client.cookies["django_language"] = "ko"
        html = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert visible_labels(submit_button(html)) == ["이메일 보내기"]


def test_the_composer_script_switches_the_label_with_the_channel():
    script = APP_JS.read_text(encoding="utf-8")
    assert "[data-not-email]" in script
