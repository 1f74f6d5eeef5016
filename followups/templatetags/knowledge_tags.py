"""The client page's "What we know" card: the knowledge base articles about the client (one query)."""

from django import template

from ..knowledge.selectors import articles_about

register = template.Library()


@register.inclusion_tag("followups/knowledge/_client_articles.html")
def client_articles(client):
    return {"client": client, "articles": articles_about(client)}
