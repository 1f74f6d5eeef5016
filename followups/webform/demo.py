"""Demo contact form posts for `manage.py seed_demo` (idempotent: skipped once any exists): a
prospect's question that reached the inbox, and a robot's post kept in the filtered list."""

from .models import WebSubmission
from .services import submission_receive


def seed(*, users) -> None:
    if WebSubmission.objects.exists():
        return
    submission_receive(
        data={
            "name": "이하나",
            "email": "hana@hana-bakery.example",
            "phone": "010-2345-6789",
            "company": "하나 베이커리",
            "message": "매장 세 곳의 온라인 주문 페이지가 필요합니다.\n예산과 일정을 상담하고 싶습니다.",
            "consent": True,
        },
        language="ko",
    )
    submission_receive(
        data={
            "name": "Best SEO <script>alert(1)</script>",
            "email": "offers@seo-spam.example",
            "message": "Rank #1 on Google today!!! http://seo-spam.example",
            "consent": True,
        },
        language="en",
        filter_reason=WebSubmission.Reason.HONEYPOT,
    )
