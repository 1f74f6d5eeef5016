"""The knowledge base (issue 19): safe Markdown, every edit kept with a diff between versions, a
stale edit refused without losing the text, client links, and the global search finding an
article by a Korean two-character word."""

import pytest

from clients.search import search_all
from followups.knowledge.diff import text_diff
from followups.knowledge.markdown import render_markdown
from followups.knowledge.models import Article, ArticleRevision
from followups.knowledge.services import article_create, article_update
from tests.factories import ClientFactory, UserFactory

DELIVERY = "## 배송 정책\n\n- 무료배송은 5만원 이상\n- 제주도는 3일 더 걸립니다\n"


def write(actor, **values):
    values = {"title": "배송 안내", "body": DELIVERY, "tags": "배송, 정책"} | values
    return article_create(actor=actor, values=values)


def test_markdown_is_rendered_and_hostile_html_stays_text():
    html = render_markdown(
        "# 제목\n\n**굵게** and [site](https://example.com) [bad](javascript:alert(1))\n\n"
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<h1>제목</h1>" in html
    assert "<strong>굵게</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html
    assert "javascript:" not in html.split("[bad]")[0] and 'href="javascript' not in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "<table>" in html and "<td>1</td>" in html


@pytest.mark.django_db
def test_an_article_is_found_by_the_global_search_by_a_korean_two_character_word(owner):
    article = write(owner, title="반품 절차", body="무료배송 상품도 7일 안에 반품할 수 있습니다.", tags="")
    write(owner, title="세금계산서", body="매월 말일에 발행합니다.", tags="")
    groups = {provider.key: hits for provider, hits in search_all("배송")}
    assert [hit.title for hit in groups["articles"]] == ["반품 절차"]
    assert groups["articles"][0].url == f"/knowledge/{article.pk}/"
    # Archived articles are left out.
    Article.objects.filter(pk=article.pk).update(archived=True)
    assert "articles" not in {p.key: h for p, h in search_all("배송")}


@pytest.mark.django_db
def test_every_edit_is_a_numbered_revision_and_the_diff_shows_what_changed(owner_client, owner):
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    article = write(owner)
    changed = DELIVERY.replace("3일", "5일") + "- 해외 배송은 하지 않습니다\n"
    article = article_update(
        article=article,
        actor=minji,
        values={"title": "배송 안내", "body": changed, "tags": "배송, 정책"},
        base_version=1,
    )
    assert article.version == 2
    assert list(ArticleRevision.objects.filter(article=article).values_list("number", "edited_by__username")) == [
        (2, "minji"),
        (1, owner.username),
    ]
    # Saving without a change adds nothing.
    article_update(
        article=article,
        actor=minji,
        values={"title": "배송 안내", "body": changed, "tags": "배송,정책"},
        base_version=2,
    )
    assert ArticleRevision.objects.filter(article=article).count() == 2

    rows = [(line.kind, line.text) for line in text_diff(DELIVERY, changed)]
    assert ("removed", "- 제주도는 3일 더 걸립니다") in rows
    assert ("added", "- 제주도는 5일 더 걸립니다") in rows
    assert ("added", "- 해외 배송은 하지 않습니다") in rows
    assert ("same", "## 배송 정책") in rows

    page = owner_client.get(f"/knowledge/{article.pk}/diff/?from=1&to=2").content.decode()
    assert '<span class="diff-removed">- - 제주도는 3일 더 걸립니다</span>' in page
    assert '<span class="diff-added">+ - 해외 배송은 하지 않습니다</span>' in page
    assert "박민지" in page
    history = owner_client.get(f"/knowledge/{article.pk}/history/").content.decode()
    assert "?from=1&amp;to=2" in history
    assert owner_client.get(f"/knowledge/{article.pk}/diff/?from=1&to=9").status_code == 404


@pytest.mark.django_db
def test_an_edit_from_an_older_version_is_refused_and_keeps_the_text(owner_client, owner):
    article = write(owner)
    minji = UserFactory(username="minji", first_name="민지", last_name="박")
    article_update(article=article, actor=minji, values={"title": "배송 안내 (개정)", "body": DELIVERY}, base_version=1)
    response = owner_client.post(
        f"/knowledge/{article.pk}/edit/",
        {"title": "내 제목", "body": "내가 쓴 긴 글", "tags": "", "base_version": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "박민지" in page and "내가 쓴 긴 글" in page
    article.refresh_from_db()
    assert (article.title, article.version) == ("배송 안내 (개정)", 2)


@pytest.mark.django_db
def test_writing_an_article_from_a_client_page_links_it_and_the_client_page_lists_it(owner_client, owner):
    client = ClientFactory(name="Blue Harbor")
    form = owner_client.get(f"/knowledge/new/?client={client.pk}").content.decode()
    assert "Never write passwords" in form
    response = owner_client.post(
        "/knowledge/new/",
        {
            "title": "Blue Harbor 서버",
            "body": "AWS 서울 리전",
            "new_category": "서버",
            "tags": "aws",
            "client": client.pk,
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{article.pk}/"
    assert list(article.clients.all()) == [client]
    assert article.category.name == "서버"
    detail = owner_client.get(f"/clients/{client.pk}/").content.decode()
    assert f'href="/knowledge/{article.pk}/">Blue Harbor 서버</a>' in detail
    # Unlink, then link again through the article's client search.
    owner_client.post(f"/knowledge/{article.pk}/clients/", {"client": client.pk, "action": "unlink"})
    assert not article.clients.exists()
    found = owner_client.get(f"/knowledge/{article.pk}/?client_q=Harbor").content.decode()
    assert "Blue Harbor" in found and f'name="client" value="{client.pk}"' in found
    owner_client.post(f"/knowledge/{article.pk}/clients/", {"client": client.pk})
    assert list(article.clients.all()) == [client]


@pytest.mark.django_db
def test_the_article_page_shows_a_script_in_the_title_as_text(owner_client, owner):
    article = write(owner, title="<script>alert(1)</script>", tags="<b>x</b>")
    page = owner_client.get(f"/knowledge/{article.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    listing = owner_client.get("/knowledge/?q=alert").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing and "<b>x</b>" not in listing


@pytest.mark.django_db
def test_only_the_writer_or_a_manager_archives_an_article(client, owner, other_staff, manager):
    article = write(other_staff)
    client.force_login(owner)
    assert client.post(f"/knowledge/{article.pk}/archive/", {"archived": "1"}).status_code == 403
    client.force_login(manager)
    assert client.post(f"/knowledge/{article.pk}/archive/", {"archived": "1"}).status_code == 302
    article.refresh_from_db()
    assert article.archived
