"""A contact form conversation is named by the first sentence of the message (about 60 characters
at most, cut at a word), in Korean too; staff may rename it."""

import pytest

from followups.conversations.subjects import first_sentence_subject
from followups.models import Conversation
from tests.followups.test_webform import post


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("We need an online ordering page. It should take card payments.\nThanks", "We need an online ordering page."),
        ("Hello! We run a bakery", "Hello!"),
        (
            "We are a small bakery in Mapo and we would like an online ordering page with card payments and delivery",
            "We are a small bakery in Mapo and we would like an online…",
        ),
        ("배송 조회 화면이 열리지 않습니다. 확인 부탁드립니다.", "배송 조회 화면이 열리지 않습니다."),
        (
            "안녕하세요 저희는 마포구에서 작은 빵집을 운영하고 있는데 "
            "온라인 주문 페이지와 카드 결제, 배달 예약 기능이 필요해서 연락드립니다",
            "안녕하세요 저희는 마포구에서 작은 빵집을 운영하고 있는데 온라인 주문 페이지와 카드 결제, 배달 예약…",
        ),
        ("\n\n  Version 2.5 is out? Yes", "Version 2.5 is out?"),
        ("x" * 100, "x" * 59 + "…"),
    ],
)
def test_the_subject_is_the_first_sentence_cut_at_a_word(text, subject):
    assert first_sentence_subject(text) == subject
    assert len(first_sentence_subject(text)) <= 60


@pytest.mark.django_db
def test_a_contact_form_conversation_gets_the_short_subject_and_can_be_renamed(client, manager, owner_client):
    post(client, {"message": "We need an online ordering page. It should take card payments and deliveries."})
    conversation = Conversation.objects.get()
    assert conversation.subject == "We need an online ordering page."
    response = owner_client.post(f"{conversation.get_absolute_url()}subject/", {"subject": "Bakery ordering page"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.subject == "Bakery ordering page"
