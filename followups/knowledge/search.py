"""The "articles" search provider (registered in FollowupsConfig.ready())."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.search import SearchHit, make_snippet, text_filter

from .markdown import markdown_text
from .models import ARTICLE_SEARCH_FIELDS, Article


class ArticleSearchProvider:
    key = "articles"
    label = _("Knowledge base")
    order = 50

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query, served by the article_*_trgm / _bigram / article_fts indexes.
        articles = (
            text_filter(Article.objects.current(), ARTICLE_SEARCH_FIELDS, query)
            .select_related("category")
            .order_by("-updated_at", "-id")[:limit]
        )
        return [
            SearchHit(
                title=article.title,
                snippet=make_snippet(markdown_text(article.body), query),
                url=article.get_absolute_url(),
                meta=" · ".join(
                    part
                    for part in (
                        article.category.name if article.category else "",
                        date_format(timezone.localtime(article.updated_at), "DATE_FORMAT"),
                    )
                    if part
                ),
            )
            for article in articles
        ]
