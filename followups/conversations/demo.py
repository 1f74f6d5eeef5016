"""Demo conversations for `manage.py seed_demo` (idempotent: keyed by client and subject)."""

import datetime as dt

from django.utils import timezone

from clients.models import Client

from .models import Channel, Conversation, ensure_default_policies
from .services import conversation_reply, conversation_start, message_receive, note_add, wait_close_no_reply_needed

# client name, subject, channel, topics, script: (days ago, minutes ago, "in"/"out", author, body)
DEMO_CONVERSATIONS = [
    (
        "한빛 물류",
        "배송 조회 화면 오류",
        Channel.PHONE,
        ["login bug"],
        [(14, 0, "in", None, "배송 조회 화면이 열리지 않습니다. 급히 확인 부탁드립니다.")],
    ),
    (
        "Blue Harbor Coffee",
        "Loyalty points estimate",
        Channel.EMAIL,
        ["estimate"],
        [
            (
                2,
                0,
                "in",
                None,
                "Hi! Could you send a rough estimate for loyalty points? See https://blueharbor.example/brief",
            ),
            (2, -60, "out", "junho", "Thanks Emma, estimate attached: about 3 weeks of work."),
        ],
    ),
    (
        "서울 치과의원",
        "예약 알림 카카오톡 연동",
        Channel.KAKAO,
        ["kakao"],
        [(0, 20, "in", None, "카카오톡 알림톡 연동 비용이 궁금합니다.")],
    ),
    (
        "Namsan Fitness",
        "Invoice for October",
        Channel.EMAIL,
        ["invoice"],
        [
            (3, 0, "in", None, "Could you resend the October invoice?"),
            (3, -30, "out", "junho", "Sent again, sorry for the trouble."),
            (3, -90, "in", None, "Got it, thanks!"),
        ],
    ),
]


def seed(*, users) -> None:
    ensure_default_policies()
    now = timezone.now()
    for client_name, subject, channel, topics, script in DEMO_CONVERSATIONS:
        client = Client.objects.filter(name=client_name).first()
        if client is None or Conversation.objects.filter(client=client, subject=subject).exists():
            continue
        contact = client.contacts.first()
        conversation = conversation_start(
            client=client, contact=contact, subject=subject, channel=channel, actor=users["manager"], tags=topics
        )
        for days, minutes, direction, author, body in script:
            when = now - dt.timedelta(days=days, minutes=minutes)
            if direction == "in":
                message_receive(
                    conversation=conversation, body=body, channel=channel, occurred_at=when, contact=contact
                )
            else:
                conversation_reply(
                    conversation=conversation, author=users[author], body=body, channel=channel, occurred_at=when
                )
        if client_name == "한빛 물류":
            note_add(
                conversation=conversation,
                author=users["minji"],
                body="서버 로그 확인 중. 오후에 다시 전화 드리기로 함.",
            )
        if client_name == "Namsan Fitness":
            wait_close_no_reply_needed(
                conversation=conversation, actor=users["junho"], reason="The customer just said thanks."
            )
