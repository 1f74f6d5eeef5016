"""A known set of conversations for the dashboard tests, built through the real services.

The clock is frozen on Friday 2026-03-20 15:00 in Seoul (06:00 UTC). Opening hours are the
default Mon-Fri 09:00-18:00; there is no public holiday between 2026-03-03 and 2026-03-31.
Targets: standard tier first 480 / next 960 business minutes; maintenance 240 / 480.

Answered waits (b = business seconds, c = calendar seconds), Minji: email, standard tier;
Junho: KakaoTalk, maintenance tier:

| conv | owner | kind  | asked (KST)     | answered (KST)  | b     | c      | met |
|------|-------|-------|-----------------|-----------------|-------|--------|-----|
| c1   | Minji | first | Mon 03-09 10:00 | Mon 03-09 10:30 | 1800  | 1800   | yes |
| c1   | Minji | next  | Mon 03-09 11:00 | Mon 03-09 15:00 | 14400 | 14400  | yes |
| c2   | Minji | first | Mon 03-09 17:00 | Tue 03-10 10:00 | 7200  | 61200  | yes |
| c3   | Minji | first | Fri 03-13 17:30 | Mon 03-16 11:00 | 9000  | 235800 | yes |
| c4   | Minji | first | Tue 03-17 09:00 | Wed 03-18 15:00 | 54000 | 108000 | no  |
| c5   | Junho | first | Tue 03-10 09:00 | Tue 03-10 14:00 | 18000 | 18000  | no  |
| c6   | Junho | first | Wed 03-11 13:00 | Wed 03-11 13:20 | 1200  | 1200   | yes |
| c6   | Junho | next  | Wed 03-11 14:00 | Thu 03-12 10:00 | 18000 | 72000  | yes |
| c7   | Junho | first | Thu 03-19 09:00 | Thu 03-19 10:00 | 3600  | 3600   | yes |

Open waits at the frozen now (business age; due time):

| conv | owner | asked (KST)     | age              | bucket   | overdue            |
|------|-------|-----------------|------------------|----------|--------------------|
| c8   | Minji | Fri 03-20 14:30 | 1800             | under_1h | no                 |
| c9   | Junho | Thu 03-19 10:00 | 50400 (14 h)     | 8h_3d    | yes (due Thu 14:00)|
| c10  | Minji | Mon 03-16 09:00 | 151200 (42 h)    | over_3d  | yes (due Mon 17:00)|
| c11  | Junho | Fri 03-20 11:00 | 14400 exactly    | 4_8h     | no (due exactly now)|
| c12  | Minji | Fri 03-20 13:00 | 7200             | 1_4h     | no                 |
"""

import datetime as dt
from zoneinfo import ZoneInfo

from clients.models import ResponseTier
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import Channel
from tests.factories import ClientFactory, ContactFactory

SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2026, 3, 20, 15, 0, tzinfo=SEOUL)


def kst(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


# conversation name, owner key, channel, tier, script [(direction, (month, day, hour, minute))]
SCRIPTS = [
    (
        "c1",
        "minji",
        "email",
        "standard",
        [("in", (3, 9, 10, 0)), ("out", (3, 9, 10, 30)), ("in", (3, 9, 11, 0)), ("out", (3, 9, 15, 0))],
    ),
    ("c2", "minji", "email", "standard", [("in", (3, 9, 17, 0)), ("out", (3, 10, 10, 0))]),
    ("c3", "minji", "email", "standard", [("in", (3, 13, 17, 30)), ("out", (3, 16, 11, 0))]),
    ("c4", "minji", "email", "standard", [("in", (3, 17, 9, 0)), ("out", (3, 18, 15, 0))]),
    ("c5", "junho", "kakao", "maintenance", [("in", (3, 10, 9, 0)), ("out", (3, 10, 14, 0))]),
    (
        "c6",
        "junho",
        "kakao",
        "maintenance",
        [("in", (3, 11, 13, 0)), ("out", (3, 11, 13, 20)), ("in", (3, 11, 14, 0)), ("out", (3, 12, 10, 0))],
    ),
    ("c7", "junho", "kakao", "maintenance", [("in", (3, 19, 9, 0)), ("out", (3, 19, 10, 0))]),
    ("c8", "minji", "email", "standard", [("in", (3, 20, 14, 30))]),
    ("c9", "junho", "kakao", "maintenance", [("in", (3, 19, 10, 0))]),
    ("c10", "minji", "email", "standard", [("in", (3, 16, 9, 0))]),
    ("c11", "junho", "kakao", "maintenance", [("in", (3, 20, 11, 0))]),
    ("c12", "minji", "email", "standard", [("in", (3, 20, 13, 0))]),
]


def build_known_conversations(*, minji, junho) -> dict:
    """Create the conversations above (call with the clock frozen at NOW); returns them by name."""
    users = {"minji": minji, "junho": junho}
    clients = {
        ResponseTier.STANDARD: ClientFactory(name="한빛 물류", account_owner=minji, response_tier="standard"),
        ResponseTier.MAINTENANCE: ClientFactory(
            name="=HYPERLINK(evil)", account_owner=junho, response_tier="maintenance"
        ),
    }
    contacts = {tier: ContactFactory(client=client) for tier, client in clients.items()}
    conversations = {}
    for name, owner_key, channel, tier, script in SCRIPTS:
        owner = users[owner_key]
        conversation = conversation_start(
            client=clients[tier],
            contact=contacts[tier],
            subject=f"Subject {name}",
            channel=channel,
            actor=owner,
            owner=owner,
        )
        for direction, when in script:
            if direction == "in":
                message_receive(conversation=conversation, body="질문", channel=channel, occurred_at=kst(*when))
            else:
                conversation_reply(
                    conversation=conversation,
                    author=owner,
                    body="Answer",
                    channel=Channel.PHONE,
                    occurred_at=kst(*when),
                )
        conversation.refresh_from_db()
        conversations[name] = conversation
    return conversations
