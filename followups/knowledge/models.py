"""Knowledge base articles, their categories and every revision of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.indexes import text_search_indexes

# The fields the global search and the suggested answers look in (text_search_indexes below).
ARTICLE_SEARCH_FIELDS = ["title", "body", "tags"]


class ArticleCategory(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def current(self):
        """What staff read, search and get suggested: not archived."""
        return self.filter(archived=False)


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, *italic*, lists, links, tables."))
    category = models.ForeignKey(
        ArticleCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas."))
    clients = models.ManyToManyField(
        "clients.Client", blank=True, related_name="articles", verbose_name=_("clients it is about")
    )
    archived = models.BooleanField(_("archived"), default=False)
    # The number of the latest revision: an edit made from an older one is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # The global search and the suggested answers: text_filter(Article, ARTICLE_SEARCH_FIELDS, q).
            *text_search_indexes(prefix="article", fields=ARTICLE_SEARCH_FIELDS),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("followups:article", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class ArticleRevision(models.Model):
    """One saved state of an article: number 1 is how it was written, each edit adds one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category_name = models.CharField(_("category"), max_length=100, blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    edited_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_revision_number_unique")]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")

    def __str__(self):
        return f"{self.article_id} v{self.number}"


__all__ = ["Article", "ArticleCategory", "ArticleRevision"]
