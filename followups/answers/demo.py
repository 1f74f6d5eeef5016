"""Demo saved replies for `manage.py seed_demo` (idempotent: skipped once any exists)."""

from .models import SavedReply
from .services import saved_reply_create

REPLIES = [
    (
        "문의 접수 인사",
        "{contact_name}님, 안녕하세요. 문의 잘 받았습니다. {due_time}까지 답변드리겠습니다.\n\n"
        "진행 상황은 여기서 보실 수 있습니다: {portal_link}\n\n{my_name} 드림",
        "Dear {contact_name}, thank you: we have your message and will answer by {due_time}.\n\n"
        "You can follow it here: {portal_link}\n\n{my_name}",
        "접수, 안내",
    ),
    (
        "배송 일정 안내",
        "{contact_name}님, 주문 후 2영업일 안에 발송되며 5만 원 이상은 무료배송입니다. "
        "더 궁금하신 점은 {owner_name}에게 말씀해 주세요.",
        "Dear {contact_name}, orders ship within two business days, free over 50,000 won. "
        "{owner_name} is happy to help with anything else.",
        "배송",
    ),
]


def seed(*, users) -> None:
    if SavedReply.objects.exists():
        return
    for title, body_ko, body_en, tags in REPLIES:
        saved_reply_create(
            actor=users["manager"],
            values={"title": title, "body_ko": body_ko, "body_en": body_en, "tags": tags, "shared": True},
        )
