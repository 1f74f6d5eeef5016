"""Reading the knowledge base: the list with its filters, one article with its history."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from clients.search import text_filter

from .models import ARTICLE_SEARCH_FIELDS, Article, ArticleCategory, ArticleRevision


def article_list(*, q: str = "", category: int | None = None, tag: str = "", client: int | None = None) -> QuerySet:
    articles = Article.objects.current().select_related("category", "updated_by")
    if q:
        articles = text_filter(articles, ARTICLE_SEARCH_FIELDS, q)
    if category:
        articles = articles.filter(category_id=category)
    if tag:
        articles = articles.filter(tags__icontains=tag)
    if client:
        articles = articles.filter(clients=client)
    return articles.order_by("-updated_at", "-id")


def categories_with_counts() -> list[ArticleCategory]:
    return list(ArticleCategory.objects.annotate(count=Count("articles")).filter(count__gt=0).order_by("name"))


def revisions_of(article: Article) -> list[ArticleRevision]:
    return list(article.revisions.select_related("edited_by").order_by("-number"))


def revision_pair(*, article: Article, old: int, new: int) -> tuple[ArticleRevision, ArticleRevision] | None:
    """Versions `old` and `new` of `article` (one query), or None when either does not exist."""
    found = {
        r.number: r
        for r in ArticleRevision.objects.filter(article=article, number__in={old, new}).select_related("edited_by")
    }
    return (found[old], found[new]) if old in found and new in found else None


def articles_about(client) -> list[Article]:
    """The current articles linked to `client` (its page lists them)."""
    return list(client.articles.filter(archived=False).order_by("title", "id").only("id", "title", "updated_at"))
