"""Demo conversations for `manage.py seed_demo` (idempotent: keyed by client and subject).

Times are anchored to the agency's business days, so the story is the same whenever the demo is
seeded (at night, on a Monday morning): a message N business days ago arrives at 10:00 that day,
shifted by its minutes; only today's messages are "minutes ago". A few weeks of answered
conversations give the dashboard's trend something to show.
"""

import datetime as dt

from django.utils import timezone

from clients.models import Client

from .business_calendar import add_business_minutes, next_opening
from .hours import load_calendar
from .models import Channel, Conversation, ensure_default_policies
from .services import conversation_reply, conversation_start, message_receive, note_add, wait_close_no_reply_needed

# client name, subject, channel, topics, script: (business days ago, minutes before 10:00 that day
# (today: minutes ago), "in"/"out", author, body)
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


# Answered conversations of the past weeks (the dashboard's trend): client, subject, channel,
# weeks ago, weekday (0 = Monday), answer after N business minutes, who answered, question.
DEMO_HISTORY = [
    ("Blue Harbor Coffee", "Menu photos", Channel.EMAIL, 7, 1, 45, "junho", "Can you swap the menu photos?"),
    ("한빛 물류", "송장 출력 문의", Channel.PHONE, 7, 3, 200, "minji", "송장 출력이 느립니다."),
    ("Namsan Fitness", "Class schedule", Channel.KAKAO, 6, 0, 30, "junho", "The class schedule shows last month."),
    ("한빛 물류", "배송 알림 문자", Channel.KAKAO, 5, 2, 540, "minji", "배송 알림 문자가 두 번 갑니다."),
    ("Blue Harbor Coffee", "Gift cards", Channel.EMAIL, 4, 1, 90, "junho", "Could we sell gift cards online?"),
    ("서울 치과의원", "견적 일정", Channel.PHONE, 4, 4, 120, "minji", "견적은 언제 받을 수 있나요?"),
    ("Namsan Fitness", "Login on Android", Channel.EMAIL, 3, 2, 600, "junho", "Members cannot log in on Android."),
    ("한빛 물류", "월간 리포트", Channel.EMAIL, 2, 0, 60, "minji", "월간 리포트 양식을 바꿀 수 있을까요?"),
    ("Blue Harbor Coffee", "Opening hours page", Channel.WEB_FORM, 1, 3, 15, "junho", "Please update our hours."),
]


def _business_days_back(today: dt.date, days: int, calendar) -> dt.date:
    day = today
    while days > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_open_day(day):
            days -= 1
    return day


def _at_ten(day: dt.date, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=zone)


def _play(conversation, script, *, contact, channel, users, now, calendar) -> None:
    today = timezone.localdate(now, calendar.zone)
    for days, minutes, direction, author, body in script:
        if days == 0:
            when = now - dt.timedelta(minutes=minutes)
        else:
            when = _at_ten(_business_days_back(today, days, calendar), calendar.zone) - dt.timedelta(minutes=minutes)
        if direction == "in":
            message_receive(conversation=conversation, body=body, channel=channel, occurred_at=when, contact=contact)
        else:
            conversation_reply(
                conversation=conversation, author=users[author], body=body, channel=channel, occurred_at=when
            )


def _seed_history(*, users, now, calendar) -> None:
    today = timezone.localdate(now, calendar.zone)
    this_monday = today - dt.timedelta(days=today.weekday())
    for client_name, subject, channel, weeks, weekday, minutes, author, body in DEMO_HISTORY:
        client = Client.objects.filter(name=client_name).first()
        if client is None or Conversation.objects.filter(client=client, subject=subject).exists():
            continue
        day = this_monday - dt.timedelta(weeks=weeks) + dt.timedelta(days=weekday)
        asked = next_opening(_at_ten(day, calendar.zone), calendar)
        answered = add_business_minutes(asked, minutes, calendar)
        contact = client.contacts.first()
        conversation = conversation_start(
            client=client, contact=contact, subject=subject, channel=channel, actor=users["manager"]
        )
        message_receive(conversation=conversation, body=body, channel=channel, occurred_at=asked, contact=contact)
        reply = (
            "확인했습니다. 처리해 두었습니다." if contact and contact.preferred_language == "ko" else "Done, thank you."
        )
        conversation_reply(
            conversation=conversation, author=users[author], body=reply, channel=channel, occurred_at=answered
        )


def seed(*, users) -> None:
    ensure_default_policies()
    now = timezone.now()
    calendar = load_calendar()
    _seed_history(users=users, now=now, calendar=calendar)
    for client_name, subject, channel, topics, script in DEMO_CONVERSATIONS:
        client = Client.objects.filter(name=client_name).first()
        if client is None or Conversation.objects.filter(client=client, subject=subject).exists():
            continue
        contact = client.contacts.first()
        conversation = conversation_start(
            client=client, contact=contact, subject=subject, channel=channel, actor=users["manager"], tags=topics
        )
        _play(conversation, script, contact=contact, channel=channel, users=users, now=now, calendar=calendar)
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
