"""Suggested answers (issue 19): the saved replies and articles that match a conversation, best
first, in two queries whatever the number of messages, and loaded by htmx into the conversation
page."""

import pytest

from followups.answers.services import saved_reply_create
from followups.answers.suggestions import conversation_keywords, keywords_of, suggested_answers
from followups.conversations.services import conversation_start, message_receive
from followups.knowledge.services import article_create
from followups.models import Channel
from tests.factories import ClientFactory, ContactFactory


def conversation_about(subject, *bodies):
    client = ClientFactory(name="Blue Harbor")
    contact = ContactFactory(client=client, name="김하나", preferred_language="ko")
    conversation = conversation_start(client=client, contact=contact, subject=subject, channel="email", actor=None)
    for body in bodies:
        message_receive(conversation=conversation, body=body, channel=Channel.EMAIL)
    conversation.refresh_from_db()
    return conversation


def test_keywords_drop_particles_and_stop_words_and_weigh_the_subject():
    words = keywords_of(
        [("배송 일정 문의", 2), ("안녕하세요. 배송이 언제 되나요? 반품은 어떻게 하나요? 배송비도 궁금합니다", 1)]
    )
    assert words[:2] == ["배송", "일정"]
    assert "반품" in words and "안녕하세요" not in words and "문의" not in words
    assert keywords_of([("Hello, when will my order ship? The order was placed Monday", 1)])[:1] == ["order"]


@pytest.mark.django_db
def test_suggestions_are_ranked_by_where_the_conversations_words_are_found(owner):
    conversation = conversation_about("배송 일정", "배송이 언제 되나요? 제주도도 배송 되나요?")
    assert conversation_keywords(conversation)[0] == "배송"
    in_title = saved_reply_create(actor=owner, values={"title": "배송 일정 안내", "body_ko": "2영업일 안에 보냅니다"})
    in_body = saved_reply_create(actor=owner, values={"title": "주문 확인", "body_ko": "무료배송은 5만 원 이상"})
    saved_reply_create(actor=owner, values={"title": "세금계산서", "body_ko": "매월 말일 발행"})
    article = article_create(
        actor=owner, values={"title": "제주도 배송", "body": "제주도는 3일 더 걸립니다", "tags": "배송"}
    )
    archived = article_create(actor=owner, values={"title": "배송 일정 (옛날)", "body": "배송", "tags": ""})
    archived.archived = True
    archived.save()

    found = suggested_answers(conversation=conversation, user=owner)
    # 배송 and 일정 in the reply's title (3 + 3) tie with 배송 and 제주도 in the article's: the saved
    # reply, ready to send, comes first; 배송 only in a body (1) comes last; the archived article
    # and the unrelated reply never.
    assert [(s.kind, s.item.pk) for s in found] == [
        ("reply", in_title.pk),
        ("article", article.pk),
        ("reply", in_body.pk),
    ]
    scores = {(s.kind, s.item.pk): s.score for s in found}
    assert scores[("reply", in_title.pk)] > scores[("reply", in_body.pk)]
    assert "배송" in found[-1].words


@pytest.mark.django_db
def test_a_personal_saved_reply_of_someone_else_is_never_suggested(owner, other_staff):
    conversation = conversation_about("배송 일정", "배송 언제 되나요")
    saved_reply_create(actor=other_staff, values={"title": "배송 (내 것)", "body_ko": "x", "shared": False})
    assert suggested_answers(conversation=conversation, user=owner) == []
    assert len(suggested_answers(conversation=conversation, user=other_staff)) == 1


@pytest.mark.django_db
def test_the_panel_is_two_queries_whatever_the_number_of_messages(owner_client, owner, django_assert_num_queries):
    conversation = conversation_about("배송 일정", *[f"배송 {i}번째 문의입니다" for i in range(30)])
    for i in range(10):
        saved_reply_create(actor=owner, values={"title": f"배송 안내 {i}", "body_ko": "..."})
        article_create(actor=owner, values={"title": f"배송 정책 {i}", "body": "...", "tags": ""})
    owner_client.get("/")
    # 1 session, 2 user, 3 the conversation, 4 its latest customer messages, 5 saved replies,
    # 6 articles, 7-8 the user's and group permissions (the navigation's context processor).
    with django_assert_num_queries(8):
        response = owner_client.get(f"/conversations/{conversation.pk}/suggestions/", HTTP_HX_REQUEST="true")
    assert response.content.decode().count("data-suggestion=") == 6


@pytest.mark.django_db
def test_the_conversation_page_loads_the_panel_and_a_suggested_reply_fills_the_box(owner_client, owner):
    conversation = conversation_about("배송 일정", "배송이 언제 되나요?")
    reply = saved_reply_create(
        actor=owner, values={"title": "배송 <b>안내</b>", "body_ko": "{contact_name}님, 내일 보냅니다"}
    )
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert f'hx-get="/conversations/{conversation.pk}/suggestions/" hx-trigger="load"' in page
    panel = owner_client.get(f"/conversations/{conversation.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert "배송 &lt;b&gt;안내&lt;/b&gt;" in panel and "<b>안내</b>" not in panel
    assert f'hx-vals=\'{{"saved_reply": "{reply.pk}"}}\'' in panel
    box = owner_client.post(f"/conversations/{conversation.pk}/saved-reply/", {"saved_reply": reply.pk})
    assert "김하나님, 내일 보냅니다" in box.content.decode()
    # Without htmx it is a page of its own.
    assert "<html" in owner_client.get(f"/conversations/{conversation.pk}/suggestions/").content.decode()


@pytest.mark.django_db
def test_nothing_matches_offers_to_write_an_article(owner_client):
    conversation = conversation_about("세금계산서 발행", "세금계산서 언제 오나요")
    panel = owner_client.get(f"/conversations/{conversation.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert "/knowledge/new/?title=" in panel


def test_keywords_never_are_a_clipped_word():
    # "요" ends verbs and greetings: taking it off left "안녕하세", "늦어", "고마워" as reasons.
    words = keywords_of([("안녕하세요. 배송이 늦어요, 고마워요. 수고하세요", 1)])
    assert words == ["배송", "늦어요"]
