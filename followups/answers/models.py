"""Saved replies: a title, the text in Korean and English, tags, shared with everyone or
personal, and how often and when it was last used."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.indexes import text_search_indexes


class SavedReply(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body_ko = models.TextField(_("text in Korean"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas."))
    shared = models.BooleanField(_("shared with every colleague"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    usage_count = models.PositiveIntegerField(_("times used"), default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        indexes = [
            # The suggested answers: clients.search.any_word_filter(SavedReply, REPLY_FIELDS, words).
            *text_search_indexes(prefix="savedreply", fields=["title", "tags", "body_ko", "body_en"]),
        ]

    def __str__(self):
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def body_for(self, language: str) -> str:
        """The text in `language`, or the other one when that is empty."""
        first, second = (self.body_ko, self.body_en) if language == "ko" else (self.body_en, self.body_ko)
        return first or second


__all__ = ["SavedReply"]
