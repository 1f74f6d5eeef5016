"""Writing the knowledge base: every save that changes something adds a numbered revision, and an
edit made from an older version than the latest is refused (nothing is lost: the form keeps the
text and says who changed the article meanwhile)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.people import display_name
from agency_crm.roles import is_manager

from .models import Article, ArticleCategory, ArticleRevision


def _clean_tags(tags: str) -> str:
    return ", ".join(dict.fromkeys(t.strip() for t in (tags or "").split(",") if t.strip()))


def _category(values: dict) -> ArticleCategory | None:
    new_name = " ".join((values.get("new_category") or "").split())
    if new_name:
        category, _created = ArticleCategory.objects.get_or_create(name=new_name)
        return category
    return values.get("category")


def _revise(article: Article, actor) -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        body=article.body,
        category_name=article.category.name if article.category else "",
        tags=article.tags,
        edited_by=actor,
        edited_at=article.updated_at,
    )


@transaction.atomic
def article_create(*, actor, values: dict, clients=()) -> Article:
    now = timezone.now()
    article = Article.objects.create(
        title=values["title"].strip(),
        body=values["body"],
        category=_category(values),
        tags=_clean_tags(values.get("tags", "")),
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
    )
    if clients:
        article.clients.add(*clients)
    _revise(article, actor)
    return article


@transaction.atomic
def article_update(*, article: Article, actor, values: dict, base_version: int) -> Article:
    """Save an edit made from version `base_version`; a new revision only when something changed."""
    article = (
        Article.objects.select_for_update(of=("self",)).select_related("category", "updated_by").get(pk=article.pk)
    )
    if base_version != article.version:
        raise ValidationError(
            _(
                "%(name)s changed this article while you were editing it (version %(version)s). "
                "Your text is still here: compare it with the latest version, then save again."
            )
            % {"name": display_name(article.updated_by), "version": article.version}
        )
    category = _category(values)
    changes = {"title": values["title"].strip(), "body": values["body"], "category": category}
    changes["tags"] = _clean_tags(values.get("tags", ""))
    if all(getattr(article, field) == value for field, value in changes.items()):
        return article
    for field, value in changes.items():
        setattr(article, field, value)
    article.version += 1
    article.updated_by = actor
    article.updated_at = timezone.now()
    article.save()
    _revise(article, actor)
    return article


def article_may_archive(*, article: Article, user) -> bool:
    return article.created_by_id == user.pk or is_manager(user)


def article_set_archived(*, article: Article, actor, archived: bool) -> Article:
    if not article_may_archive(article=article, user=actor):
        raise PermissionDenied
    Article.objects.filter(pk=article.pk).update(archived=archived)
    article.archived = archived
    return article


def article_link_client(*, article: Article, client) -> None:
    article.clients.add(client)


def article_unlink_client(*, article: Article, client) -> None:
    article.clients.remove(client)
