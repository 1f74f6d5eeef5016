"""Demo clients for `manage.py seed_demo` (idempotent)."""

from django.utils.translation import gettext_noop

from agency_crm import facts

from .models import Client, Contact, Note, Tag
from .services import note_add
from .timeline import timeline_record

DEMO_CLIENTS = [
    # name, status, tier, owner, backup, tags, contacts (name, email, phone, language)
    (
        "한빛 물류",
        "maintenance",
        "maintenance",
        "minji",
        "junho",
        ["물류", "유지보수"],
        [("김하늘", "haneul@hanbit-logistics.example", "010-2345-6789", "ko")],
    ),
    (
        "Blue Harbor Coffee",
        "active",
        "standard",
        "junho",
        "minji",
        ["retail"],
        [("Emma Collins", "emma@blueharbor.example", "+1 415 555 0100", "en")],
    ),
    (
        "서울 치과의원",
        "prospect",
        "prospect",
        "minji",
        None,
        ["의료"],
        [("박지훈", "jihoon@seoul-dental.example", "02-555-1234", "ko")],
    ),
    (
        "Namsan Fitness",
        "active",
        "standard",
        "junho",
        None,
        ["app"],
        [("Choi Yuna", "yuna@namsanfit.example", "010-9876-5432", "en")],
    ),
    (
        "푸른 출판사",
        "former",
        "standard",
        "minji",
        "junho",
        [],
        [("이서준", "seojun@pureun.example", "031-777-8888", "ko")],
    ),
]


# client name -> notes and calls (author, kind, text); added once, when the client has none.
DEMO_NOTES = {
    "한빛 물류": [
        ("minji", "call", "김하늘 님 전화: 배송 조회 화면이 느리다는 문의. 다음 주 점검 예정."),
        ("junho", "note", "유지보수 계약 갱신 문의 — 12월 말 만료, 견적 요청 받음."),
    ],
    "Blue Harbor Coffee": [
        ("junho", "note", "Emma wants loyalty points in the ordering app; asked for a rough estimate."),
    ],
    "서울 치과의원": [
        ("minji", "note", "예약 시스템 신규 구축 상담. 카카오톡 알림 연동 희망."),
    ],
}


def seed(*, users) -> None:
    for name, status, tier, owner, backup, tags, contacts in DEMO_CLIENTS:
        client, created = Client.objects.get_or_create(
            name=name,
            defaults={
                "status": status,
                "response_tier": tier,
                "account_owner": users[owner],
                "backup_owner": users[backup] if backup else None,
            },
        )
        if not created:
            continue
        timeline_record(
            client=client,
            kind="client.created",
            actor=users["manager"],
            summary=gettext_noop("Client created; account owner %(owner)s"),
            params={"owner": facts.person(users[owner])},
        )
        for tag in tags:
            client.tags.add(Tag.objects.get_or_create(name=tag)[0])
        for contact_name, email, phone, language in contacts:
            Contact.objects.create(
                client=client, name=contact_name, email=email, phone=phone, preferred_language=language
            )
    for name, notes in DEMO_NOTES.items():
        client = Client.objects.filter(name=name).first()
        if client is None or Note.objects.filter(client=client).exists():
            continue
        for author, kind, body in notes:
            note_add(client=client, author=users[author], body=body, kind=kind)
