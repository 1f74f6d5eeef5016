"""The board's stages (one per inquiry status, edited by managers) and the reasons an inquiry is lost."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry


def _in_language(english: str, korean: str, language: str | None = None) -> str:
    """The Korean name for a Korean reader, else the English one (either when the other is empty)."""
    language = (language or get_language() or "en")[:2]
    return (korean or english) if language == "ko" else (english or korean)


class PipelineStage(models.Model):
    """How the board shows one inquiry status. `Inquiry.status` drives the logic (a proposal sent,
    won, delivered), so stages are keyed to the statuses: one each, seeded by a migration, editable
    (names, order, probability, days before stale) but never added or deleted."""

    status = models.CharField(_("status"), max_length=20, choices=Inquiry.Status.choices, unique=True)
    name_en = models.CharField(_("name in English"), max_length=60)
    name_ko = models.CharField(_("name in Korean"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    win_probability = models.PositiveSmallIntegerField(
        _("win probability (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("stale after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: an inquiry never goes stale in this stage."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        constraints = [
            models.CheckConstraint(condition=models.Q(win_probability__lte=100), name="stage_probability_percent"),
            models.CheckConstraint(
                condition=models.Q(stale_after_days__isnull=True) | models.Q(stale_after_days__gte=1),
                name="stage_stale_after_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_ko)


class LostReason(models.Model):
    """Why an inquiry was lost, chosen from a list managers edit; retired reasons stay for the figures."""

    name_en = models.CharField(_("name in English"), max_length=100)
    name_ko = models.CharField(_("name in Korean"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_ko)

    def name_in(self, language: str) -> str:
        return _in_language(self.name_en, self.name_ko, language)


class Loss(models.Model):
    """The reason an inquiry is lost now (written by `inquiry_move`, removed when it is reopened):
    the dashboard counts losses by reason from these rows."""

    inquiry = models.OneToOneField(Inquiry, on_delete=models.CASCADE, related_name="loss")
    reason = models.ForeignKey(LostReason, on_delete=models.PROTECT, related_name="losses")
    note = models.TextField(_("what happened"), blank=True)
    recorded_at = models.DateTimeField(_("lost at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("loss")
        verbose_name_plural = _("losses")

    def __str__(self):
        return f"{self.inquiry_id}: {self.reason}"
