"""Growth items: what a customer wanted and we deferred, kept on the client to ask again.

When an inquiry is delivered, each deferred want becomes one `GrowthItem`: a Should or Could the
customer did not choose in the accepted proposal, an item planned for a later phase, or a Won't
have this time. It keeps the item as the proposal showed it (title, three-point estimate, rate and
price), so the old estimate survives later edits of the scope. The post-sale check-ins show the
open ones ("last time they wanted: …"); staff start a new inquiry from one, snooze it to the next
check-in, or drop it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from inquiries import estimates

__all__ = ["GrowthItem"]


class GrowthItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        STARTED = "started", _("Inquiry started")
        DROPPED = "dropped", _("Dropped")

    class Reason(models.TextChoices):
        NOT_CHOSEN = "not_chosen", _("Not chosen in the proposal")
        LATER = "later", _("Planned for a later phase")
        WONT = "wont", _("Won't have this time")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="growth_items", verbose_name=_("client"))
    # The delivered inquiry whose proposal deferred the want.
    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.CASCADE, related_name="+", verbose_name=_("delivered inquiry")
    )
    # The scope item's id as the proposal snapshot recorded it (the item itself may be gone).
    source_item_id = models.PositiveBigIntegerField(_("scope item id"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priority"), max_length=10)
    phase = models.CharField(_("phase"), max_length=10)
    reason = models.CharField(_("why it was deferred"), max_length=20, choices=Reason.choices)
    optimistic_hours = models.DecimalField(_("optimistic hours"), max_digits=7, decimal_places=1)
    likely_hours = models.DecimalField(_("most likely hours"), max_digits=7, decimal_places=1)
    pessimistic_hours = models.DecimalField(_("pessimistic hours"), max_digits=7, decimal_places=1)
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    cost_expected = models.DecimalField(_("estimated price"), max_digits=16, decimal_places=2)
    delivered_on = models.DateField(_("delivered on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Not now: shown again at the first check-in due on or after this date.
    resurface_on = models.DateField(_("shown again from"), null=True, blank=True)
    snooze_count = models.PositiveSmallIntegerField(_("times snoozed"), default=0)
    started_inquiry = models.OneToOneField(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="growth_item",
        verbose_name=_("inquiry started from it"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("growth item")
        verbose_name_plural = _("growth items")
        constraints = [
            # growth_items_record on delivery: each deferred want once per delivered inquiry, however
            # often the inquiry is marked delivered (or the hook replayed).
            models.UniqueConstraint(fields=["inquiry", "source_item_id"], name="growth_item_once_per_delivered_want"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="growth_item_closed_has_time"
            ),
        ]
        indexes = [
            # The check-in page: WHERE client_id = ? AND status = 'open' ORDER BY created_at.
            models.Index(fields=["client", "created_at"], condition=Q(status="open"), name="growth_item_open_idx"),
        ]

    def __str__(self):
        return f"{self.client} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def estimate(self) -> estimates.Estimate:
        return estimates.Estimate(self.optimistic_hours, self.likely_hours, self.pessimistic_hours)
