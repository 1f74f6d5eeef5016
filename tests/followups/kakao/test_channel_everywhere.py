"""A KakaoTalk conversation that came through the webhook works everywhere an email one does: the
dashboard's breakdown by channel, the client's timeline, search, suggested answers, saved
replies in the contact's language, and the customer's self-service page."""

import pytest
from django.urls import reverse

from followups.answers.services import saved_reply_create
from followups.conversations.services import conversation_reply
from followups.kakao.inbound import kakao_inbound_process
from followups.kakao.models import KakaoInbound
from followups.models import Channel, Conversation, ensure_default_policies
from followups.portal.links import portal_token
from tests.factories import ClientFactory, ContactFactory

from .fake_provider import FakeKakaoProvider

pytestmark = pytest.mark.django_db


def arrive(http, channel, *, user_key: str, text: str) -> Conversation:
    payload = FakeKakaoProvider.chat_payload(user_key=user_key, text=text)
    response = http.post(f"/kakao/inbound/{channel.inbound_secret}/", payload, content_type="application/json")
    assert response.status_code == 200
    assert kakao_inbound_process(inbound_id=KakaoInbound.objects.latest("id").pk) == "imported"
    return Conversation.objects.filter(channel=Channel.KAKAO).select_related("contact", "client").latest("id")


@pytest.fixture
def hana(owner):
    ensure_default_policies()
    client = ClientFactory(name="Blue Harbor", account_owner=owner)
    return ContactFactory(
        client=client, name="김하나", email="hana@blue.example", kakao_id="user-hana", preferred_language="ko"
    )


@pytest.fixture
def talk(client, kakao_connected, hana):
    """김하나 wrote on KakaoTalk; the owner answered from the composer (sent through the gateway)."""
    conversation = arrive(client, kakao_connected, user_key="user-hana", text="환불 절차가 궁금합니다. 환불 기간은요?")
    assert conversation.contact == hana and conversation.channel == Channel.KAKAO
    conversation_reply(
        conversation=conversation, author=hana.client.account_owner, body="환불은 7일 안에 됩니다.", channel="kakao"
    )
    return Conversation.objects.get(pk=conversation.pk)


def test_the_dashboard_counts_it_under_kakaotalk_and_drills_down_to_it(manager_client, talk):
    response = manager_client.get(reverse("followups:dashboard"))
    row = next(row for row in response.context["tables"]["channels"].rows if row.label == "KakaoTalk")
    subjects = {c.subject for c in manager_client.get(row.link).context["page"].object_list}
    assert subjects == {talk.subject}
    only = manager_client.get(reverse("followups:dashboard"), {"channel": "kakao"})
    assert only.status_code == 200 and only.context["filters"].channel == "kakao"


def test_the_timeline_shows_the_customers_kakao_message_and_our_kakao_reply(owner_client, talk):
    page = owner_client.get(f"/clients/{talk.client_id}/").content.decode()
    assert "환불 절차가 궁금합니다" in page
    assert "환불은 7일 안에 됩니다." in page
    assert f"(KakaoTalk): {talk.subject}" in page


def test_search_finds_the_kakao_message(owner_client, talk):
    response = owner_client.get("/search/", {"q": "환불 절차"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/conversations/{talk.pk}/" in body


def test_suggested_answers_match_the_kakao_message(owner_client, owner, talk):
    reply = saved_reply_create(actor=owner, values={"title": "환불 절차 안내", "body_ko": "{contact_name}님, 환불은"})
    panel = owner_client.get(f"/conversations/{talk.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-vals=\'{{"saved_reply": "{reply.pk}"}}\'' in panel


@pytest.mark.parametrize(
    ("language", "expected"), [("ko", "김하나님, 환불은 7일"), ("en", "Dear 김하나, refunds take")]
)
def test_a_saved_reply_on_kakao_is_in_the_contacts_language(owner_client, owner, talk, language, expected):
    type(talk.contact).objects.filter(pk=talk.contact_id).update(preferred_language=language)
    reply = saved_reply_create(
        actor=owner,
        values={
            "title": "환불",
            "body_ko": "{contact_name}님, 환불은 7일 안에 됩니다.",
            "body_en": "Dear {contact_name}, refunds take 7 days.",
        },
    )
    box = owner_client.post(f"/conversations/{talk.pk}/saved-reply/", {"saved_reply": reply.pk}).content.decode()
    assert expected in box
    # The composer still answers on KakaoTalk.
    page = owner_client.get(f"/conversations/{talk.pk}/")
    assert page.context["reply_form"].initial["channel"] == Channel.KAKAO


def test_the_self_service_page_shows_the_kakao_conversation(client, talk):
    page = client.get(f"/my/{portal_token(talk.contact)}/").content.decode()
    assert talk.subject in page
    assert "환불 절차가 궁금합니다" in page
    assert "환불은 7일 안에 됩니다." in page
    # ...and the customer can answer in it from there.
    assert f"/conversations/{talk.pk}/reply/" in page
