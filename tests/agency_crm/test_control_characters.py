"""Control characters in customer text: C0/C1 controls and bidi overrides never reach a name, a
subject or a message (a U+202E override made "Emma Collins wrote…: ‮gnp.exe" read as
"exe.png"); line breaks and tabs stay in messages. And a placeholder is detected in a saved
reply's own text, never in a value put into it (a visitor named "Kim [[due_time?]]")."""

import pytest

from agency_crm.text import clean_line, clean_text
from clients.services import client_create, contact_create
from followups.answers.services import saved_reply_create
from followups.conversations.services import conversation_rename, conversation_start, message_receive
from followups.mailin.parser import parse_email
from followups.models import Channel
from tests.factories import ClientFactory, ContactFactory
from tests.followups.mailin_support import build_email

pytestmark = pytest.mark.django_db

HOSTILE = "Emma\u202e gnp.exe\x1b[31m\x07\x08\x85 Collins\u2066x\u2069"


def test_single_lines_lose_every_control_and_bidi_override():
    assert clean_line(HOSTILE) == "Emma gnp.exe[31m Collinsx"
    assert clean_line("a\tb\nc\r\nd") == "a b c d"
    assert clean_line("김하나 \u200d👩‍💻") == "김하나 \u200d👩‍💻"  # joiners in emoji and scripts stay


def test_messages_keep_line_breaks_and_tabs_but_nothing_else():
    assert clean_text("Hi\r\n\tthere\x1b\u202e!\x00") == "Hi\r\n\tthere!"


def test_names_subjects_and_messages_are_cleaned_when_stored(owner):
    client = client_create(actor=owner, name="Blue\u202eHarbor", account_owner=owner)
    assert client.name == "BlueHarbor"
    contact = contact_create(client=client, actor=owner, name=HOSTILE, email="emma@blue.example")
    assert contact.name == "Emma gnp.exe[31m Collinsx"
    conversation = conversation_start(
        client=client, contact=contact, subject="Invoice\u202e fdp", channel="email", actor=None
    )
    assert conversation.subject == "Invoice fdp"
    conversation = conversation_rename(conversation=conversation, subject="Bill\x07 2", actor=owner)
    assert conversation.subject == "Bill 2"
    message = message_receive(conversation=conversation, body="Line 1\n\u202eLine 2\x1b", channel=Channel.EMAIL)
    assert message.body == "Line 1\nLine 2"


def test_a_received_email_is_cleaned_at_the_door():
    raw = build_email(
        from_="=?utf-8?q?Emma_=E2=80=AE_Collins?= <emma@blue.example>", subject="Hi\u202e fdp.exe", body="A\x1bB\nC"
    )
    parsed = parse_email(raw.as_bytes())
    assert parsed.from_name == "Emma Collins" or parsed.from_name == "Emma  Collins".replace("  ", " ")
    assert "\u202e" not in parsed.subject and parsed.subject == "Hi fdp.exe"
    assert parsed.text.startswith("AB\nC")


def test_a_name_that_looks_like_a_marker_does_not_block_a_saved_reply(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    contact = ContactFactory(client=client, name="Kim [[due_time?]]", email="kim@web.example")
    conversation = conversation_start(client=client, contact=contact, subject="Hi", channel="email", actor=None)
    message_receive(conversation=conversation, body="Hello", channel=Channel.EMAIL)
    reply = saved_reply_create(actor=owner, values={"title": "Hi", "body_en": "Dear {contact_name}, thanks."})
    box = owner_client.post(
        f"/conversations/{conversation.pk}/saved-reply/", {"saved_reply": reply.pk}
    ).content.decode()
    assert "[[due_time?]]" not in box and "Dear Kim" in box
    text = box.split('id="id_body"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    response = owner_client.post(f"/conversations/{conversation.pk}/reply/", {"channel": "phone", "body": text})
    assert response.status_code == 302
