"""Demo inquiries for `manage.py seed_demo` (idempotent: an inquiry that exists is left alone)."""

from decimal import Decimal

from clients.models import Client

from . import services
from .models import DiscoveryQuestion, Inquiry

DEMO_INQUIRIES = [
    {
        "client": "서울 치과의원",
        "owner": "minji",
        "title": "온라인 예약 시스템",
        "source": "phone",
        "problem": "전화로만 예약을 받아서 점심시간에 전화가 몰리고, 예약 누락이 자주 생깁니다.",
        "goal": "환자가 직접 예약하고, 노쇼를 줄이고 싶어요.",
        "budget_min": Decimal("8000000"),
        "budget_max": Decimal("15000000"),
        "assumptions": "호스팅 비용은 고객이 부담합니다.\n기존 환자 데이터는 엑셀로 제공됩니다.",
        "items": [
            ("환자 온라인 예약", "must", (16, 24, 40), "first"),
            ("직원용 예약 관리 화면", "must", (12, 20, 32), "first"),
            ("카카오 알림톡 리마인더", "should", (6, 10, 18), "first"),
            ("진료 후기 모음", "could", (8, 12, 24), "later"),
            ("네이티브 iOS/Android 앱", "wont", (120, 200, 320), "later"),
        ],
        "send": True,
        "answers": {"end_users": "환자와 접수 직원 2명", "day_one": "예약과 취소"},
    },
    {
        "client": "Blue Harbor Coffee",
        "owner": "junho",
        "title": "Loyalty stamps without the paper cards",
        "source": "email",
        "problem": "Customers lose their stamp cards and baristas forget to stamp.",
        "goal": "Bring regulars back more often.",
        "budget_min": None,
        "budget_max": Decimal("6000000"),
        "assumptions": "",
        "items": [
            ("Digital stamp card (web)", "must", (10, 16, 28), "first"),
            ("Barista scan screen", "must", (6, 10, 16), "first"),
            ("Birthday coupon", "could", (4, 6, 12), "later"),
        ],
        "send": False,
        "answers": {"end_users": "Regular customers and 6 baristas", "exists_today": "Paper stamp cards"},
    },
    {
        "client": "Namsan Fitness",
        "owner": "junho",
        "title": "Class timetable on the website",
        "source": "web_form",
        "problem": "The timetable is a PDF we re-upload every week.",
        "goal": "",
        "budget_min": None,
        "budget_max": None,
        "assumptions": "",
        "items": [],
        "send": False,
        "answers": {},
    },
]


def seed(*, users) -> None:
    questions = {q.key: q.pk for q in DiscoveryQuestion.objects.exclude(key=None)}
    for spec in DEMO_INQUIRIES:
        client = Client.objects.filter(name=spec["client"]).first()
        if client is None or Inquiry.objects.filter(client=client, title=spec["title"]).exists():
            continue
        owner = users[spec["owner"]]
        inquiry = services.inquiry_create(
            actor=owner,
            client=client,
            contact=client.contacts.first(),
            details={
                "title": spec["title"],
                "source": spec["source"],
                "problem": spec["problem"],
                "goal": spec["goal"],
                "budget_min": spec["budget_min"],
                "budget_max": spec["budget_max"],
                "owner": owner,
                "assumptions": spec["assumptions"],
            },
        )
        answers = {questions[key]: text for key, text in spec["answers"].items() if key in questions}
        if answers:
            services.inquiry_discovery_save(inquiry=inquiry, answers=answers, actor=owner)
        for title, priority, (o, m, p), phase in spec["items"]:
            services.scope_item_add(
                inquiry=inquiry,
                actor=owner,
                fields={
                    "title": title,
                    "priority": priority,
                    "phase": phase,
                    "optimistic_hours": Decimal(o),
                    "likely_hours": Decimal(m),
                    "pessimistic_hours": Decimal(p),
                },
            )
        if spec["send"]:
            services.proposal_send(inquiry=inquiry, actor=owner)
