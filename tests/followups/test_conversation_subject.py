"""A logged call gets a short subject (its first line, cut at a word, at most 80 characters),
which staff may set when logging and edit later; replies carry it (issue 14.5)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agency_crm.outbox import OutboundEmail
from clients.models import TimelineEvent
from followups.conversations.services import conversation_log, conversation_reply
from followups.conversations.subjects import short_subject
from followups.models import Conversation
from tests.followups.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
LONG_CALL = (
    "고객이 전화해서 배송 조회 화면이 오늘 아침부터 열리지 않는다고 했고 로그인 후 흰 화면만 보인다고 함 "
    "크롬과 엣지 둘 다 같은 증상이며 지난주 배포 이후부터라고 기억함 급하다고 오후까지 답을 달라고 요청"
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL), tick=False):
        yield


def test_the_short_subject_is_the_first_line_cut_at_a_word():
    subject = short_subject(LONG_CALL)
    assert len(subject) <= 80
    assert subject.endswith("…")
    assert LONG_CALL.startswith(subject[:-1].rstrip())
    assert LONG_CALL[len(subject[:-1].rstrip())] == " "  # cut between words, not inside one
    assert short_subject("Invoice copy\nPlease resend the October invoice.") == "Invoice copy"
    assert short_subject("  \n  Hello   there  ") == "Hello there"
    assert short_subject("x" * 200) == "x" * 79 + "…"  # one long word: cut it


def test_a_logged_call_gets_a_short_subject_and_replies_carry_it(owner):
    contact = ContactFactory(client=ClientFactory(account_owner=owner), email="jh@clinic.example")
    message = conversation_log(contact=contact, direction="in", channel="phone", body=LONG_CALL, actor=owner)
    conversation = message.conversation
    assert conversation.subject == short_subject(LONG_CALL)
    conversation_reply(conversation=conversation, author=owner, body="확인했습니다.", channel="email")
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.REPLY)
    assert email.subject.startswith(f"Re: {conversation.subject}")
    assert LONG_CALL not in email.subject


def test_staff_may_give_the_subject_when_logging(owner_client, owner):
    contact = ContactFactory(client=ClientFactory(account_owner=owner))
    response = owner_client.post(
        "/inbox/log/",
        {
            "contact": contact.pk,
            "direction": "in",
            "channel": "phone",
            "body": LONG_CALL,
            "subject": "배송 조회 화면 오류",
        },
    )
    assert response.status_code == 302
    assert Conversation.objects.get().subject == "배송 조회 화면 오류"


def test_staff_edit_a_subject_on_the_conversation_page_and_it_is_on_the_timeline(owner_client, owner):
    contact = ContactFactory(client=ClientFactory(account_owner=owner))
    conversation = conversation_log(
        contact=contact, direction="in", channel="phone", body=LONG_CALL, actor=owner
    ).conversation
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert f'action="/conversations/{conversation.pk}/subject/"' in page
    response = owner_client.post(f"/conversations/{conversation.pk}/subject/", {"subject": "  <b>배송</b> 조회 오류  "})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.subject == "<b>배송</b> 조회 오류"
    event = TimelineEvent.objects.get(kind="conversation.renamed")
    assert event.actor == owner and "<b>배송</b> 조회 오류" in event.summary
    page = owner_client.get(f"/conversations/{conversation.pk}/").content.decode()
    assert "<b>배송</b>" not in page and "&lt;b&gt;배송&lt;/b&gt; 조회 오류" in page


def test_an_empty_subject_is_refused(owner_client, owner):
    contact = ContactFactory(client=ClientFactory(account_owner=owner))
    conversation = conversation_log(
        contact=contact, direction="in", channel="phone", body="Hi", actor=owner
    ).conversation
    response = owner_client.post(f"/conversations/{conversation.pk}/subject/", {"subject": "   "})
    assert response.status_code == 400
    conversation.refresh_from_db()
    assert conversation.subject == "Hi"
