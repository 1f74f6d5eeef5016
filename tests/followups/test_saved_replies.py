"""Saved replies (issue 19): placeholders filled for the conversation in the contact's language,
plain substitution that leaves braces and template syntax as text, the missing-data marker that
blocks sending, sharing rules, and the htmx fill on the conversation page."""

import datetime as dt

import pytest
import time_machine

from followups.answers.models import SavedReply
from followups.answers.placeholders import fill
from followups.answers.services import saved_reply_create
from followups.conversations.services import conversation_start, message_receive
from followups.models import Channel, Message
from tests.factories import ClientFactory, ContactFactory, UserFactory

SEOUL = dt.timezone(dt.timedelta(hours=9))
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SEOUL)
TEXT_KO = (
    "{contact_name}님, 안녕하세요. {client_name} 건은 {due_time}까지 답변드리겠습니다. "
    "담당 {owner_name}, 작성 {my_name}. {portal_link}"
)
TEXT_EN = "Dear {contact_name}, about {client_name}: we answer by {due_time}. {owner_name} / {my_name}. {portal_link}"


@pytest.fixture
def minji(db):
    return UserFactory(username="minji", first_name="민지", last_name="박")


def waiting(owner, *, name="김하나", language="ko", email="hana@blue.example"):
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    contact = ContactFactory(client=client, name=name, email=email, preferred_language=language)
    conversation = conversation_start(client=client, contact=contact, subject="Q", channel="email", actor=None)
    message_receive(conversation=conversation, body="When?", channel=Channel.EMAIL, occurred_at=MONDAY_10)
    conversation.refresh_from_db()
    return conversation


def use(owner_client, conversation, reply):
    response = owner_client.post(f"/conversations/{conversation.pk}/saved-reply/", {"saved_reply": reply.pk})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_placeholders_are_filled_for_the_conversation_in_the_contacts_language(owner_client, owner, minji, language):
    owner.first_name, owner.last_name = "Junho", "Lee"
    owner.save()
    conversation = waiting(minji, language=language)
    reply = saved_reply_create(actor=owner, values={"title": "Due", "body_ko": TEXT_KO, "body_en": TEXT_EN})
    with time_machine.travel(MONDAY_10, tick=False):
        box = use(owner_client, conversation, reply)
    assert 'name="body"' in box
    if language == "ko":
        assert "김하나님, 안녕하세요. Blue Harbor 건은 2026년 11월 30일 (월) 오후 6:00 KST까지" in box
        assert "담당 박민지, 작성 Junho Lee." in box
    else:
        assert "Dear 김하나, about Blue Harbor: we answer by Mon 30 Nov 2026, 18:00 KST." in box
        assert "박민지 / Junho Lee." in box
    # The self-service link is the contact's key: the composer keeps the placeholder, and the
    # email to that contact alone carries the link.
    assert box.rstrip().endswith("{portal_link}</textarea>") and "/my/" not in box
    reply.refresh_from_db()
    assert reply.usage_count == 1 and reply.last_used_at is not None


@pytest.mark.parametrize("name", ["{contact_name}", "{{ 7*7 }}", "{% now 'Y' %}", "<script>x</script>"])
def test_a_customers_name_with_braces_or_template_syntax_stays_text(owner_client, owner, name):
    conversation = waiting(owner, name=name)
    reply = saved_reply_create(actor=owner, values={"title": "Hi", "body_ko": "안녕하세요 {contact_name}님 {{ 1+1 }}"})
    box = use(owner_client, conversation, reply)
    from django.utils.html import escape

    assert f"안녕하세요 {escape(name)}님 {{{{ 1+1 }}}}" in box
    assert "49" not in box and "<script>" not in box
    assert fill("{contact_name}", {"contact_name": "{contact_name}"}) == "{contact_name}"  # one pass only


def test_a_placeholder_without_data_leaves_a_marker_that_blocks_sending(owner_client, owner):
    conversation = waiting(owner)
    conversation.contact.email = ""  # no self-service link without an address
    conversation.contact.save()
    reply = saved_reply_create(actor=owner, values={"title": "Link", "body_ko": "여기서 보세요: {portal_link}"})
    box = use(owner_client, conversation, reply)
    assert "여기서 보세요: [[portal_link?]]" in box
    response = owner_client.post(
        f"/conversations/{conversation.pk}/reply/", {"channel": "phone", "body": "여기서 보세요: [[portal_link?]]"}
    )
    assert response.status_code == 400
    assert "Replace [[portal_link?]] with the right text before sending" in response.content.decode()
    assert not Message.objects.filter(conversation=conversation, direction="out").exists()
    fixed = owner_client.post(f"/conversations/{conversation.pk}/reply/", {"channel": "phone", "body": "전화로 안내"})
    assert fixed.status_code == 302


def test_personal_replies_are_their_authors_and_shared_ones_everyones(owner_client, other_client, owner, other_staff):
    mine = saved_reply_create(actor=owner, values={"title": "Mine", "body_en": "x", "shared": False})
    shared = saved_reply_create(actor=owner, values={"title": "Ours", "body_en": "y", "shared": True})
    page = other_client.get("/replies/").content.decode()
    assert "Ours" in page and "Mine" not in page
    assert other_client.get(f"/replies/{mine.pk}/edit/").status_code == 404
    assert other_client.get(f"/replies/{shared.pk}/edit/").status_code == 403  # theirs to change
    conversation = waiting(other_staff)
    response = other_client.post(f"/conversations/{conversation.pk}/saved-reply/", {"saved_reply": mine.pk})
    assert response.status_code == 404


def test_the_list_finds_by_title_text_or_tag_and_the_form_needs_some_text(owner_client, owner):
    saved_reply_create(actor=owner, values={"title": "배송 지연 안내", "body_ko": "죄송합니다", "tags": "배송, 사과"})
    saved_reply_create(actor=owner, values={"title": "Pricing", "body_en": "Our rates", "tags": "price"})
    page = owner_client.get("/replies/", {"q": "사과"}).content.decode()
    assert "배송 지연 안내" in page and "Pricing" not in page
    response = owner_client.post("/replies/new/", {"title": "Empty", "body_ko": "", "body_en": "", "shared": "on"})
    assert response.status_code == 400 and "Write the text in Korean, in English, or both." in response.content.decode()
    response = owner_client.post(
        "/replies/new/", {"title": "New", "body_en": "Hello {contact_name}", "tags": "a, a, b"}
    )
    assert response.status_code == 302
    assert SavedReply.objects.get(title="New").tags == "a, b"


def test_the_conversation_page_offers_the_picker(owner_client, owner):
    conversation = waiting(owner)
    saved_reply_create(actor=owner, values={"title": "Thanks", "body_en": "Thanks"})
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert 'data-testid="saved-reply-picker"' in page and f"/conversations/{conversation.pk}/saved-reply/" in page
