"""Demo knowledge base articles for `manage.py seed_demo` (idempotent: skipped once any exists)."""

from clients.models import Client

from .models import Article
from .services import article_create, article_update

ARTICLES = [
    (
        "배송 및 반품 안내",
        "고객 응대",
        "배송, 반품",
        "## 배송\n\n- 주문 후 **2영업일** 안에 발송합니다.\n- 5만 원 이상은 무료배송입니다.\n"
        "- 제주·도서 지역은 1~2일 더 걸립니다.\n\n"
        "## 반품\n\n받은 날부터 7일 안에 반품할 수 있습니다.\n"
        "고객에게 [반품 양식](https://example.com/returns)을 보내 주세요.\n",
    ),
    (
        "유지보수 계약 범위",
        "계약",
        "유지보수, 계약",
        "| 포함 | 별도 견적 |\n|---|---|\n| 버그 수정 | 새 기능 |\n"
        "| 보안 업데이트 | 디자인 변경 |\n| 월 1회 점검 | 서버 이전 |\n\n"
        "계약 밖의 요청은 *문의*로 만들어 범위와 견적을 따로 보내 주세요.\n",
    ),
    (
        "Hosting: where our clients' apps run",
        "Servers",
        "hosting, aws",
        "Most apps run on **AWS Seoul (ap-northeast-2)**.\n\n1. Backups every night, kept 30 days.\n"
        "2. Access keys live in the password manager, never here.\n",
    ),
]


def seed(*, users) -> None:
    if Article.objects.exists():
        return
    writer, editor = users["manager"], users["minji"]
    first = None
    for title, category, tags, body in ARTICLES:
        article = article_create(
            actor=writer, values={"title": title, "body": body, "new_category": category, "tags": tags}
        )
        first = first or article
    # A second version, so the history and its diff have something to show.
    article_update(
        article=first,
        actor=editor,
        values={
            "title": first.title,
            "body": first.body.replace("7일", "14일"),
            "category": first.category,
            "tags": first.tags,
        },
        base_version=1,
    )
    client = Client.objects.customers().order_by("pk").first()
    if client is not None:
        Article.objects.get(title=ARTICLES[2][0]).clients.add(client)
