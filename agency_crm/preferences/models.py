from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency_crm.people import AUTO, FAMILY_FIRST, GIVEN_FIRST

# Notices a person may ask to get at once by email instead of in the batched summary. The urgent
# ones (an escalation, a "Not good" rating, a check-in at risk) always come at once.
OPTIONAL_INSTANT_KINDS = [
    ("reminder.warning", _("Reminder before a customer's wait runs out")),
    ("reminder.due", _("Reminder when a customer's wait has run out")),
    ("conversation.assigned", _("A colleague handed you a conversation")),
    ("conversation.customer_wrote", _("A customer wrote through the contact form or the self-service page")),
    ("proposal_accepted", _("A customer accepted a proposal")),
    ("feedback.received", _("A customer rated us")),
    ("checkin.assigned", _("A check-in was handed to you")),
    ("task.assigned", _("A colleague gave you a task")),
    ("task.due", _("Reminder when a task of yours is due")),
    ("email.failed", _("An email could not be delivered")),
]


class Preferences(models.Model):
    class NameOrder(models.TextChoices):
        AUTO = AUTO, _("Korean names family name first (박민지), other names given name first (Minji Park)")
        FAMILY_FIRST = FAMILY_FIRST, _("Always family name first")
        GIVEN_FIRST = GIVEN_FIRST, _("Always given name first")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="preferences"
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Pages and the emails we send you. Empty: the agency's default."),
    )
    name_order = models.CharField(_("how names are shown"), max_length=20, choices=NameOrder.choices, default=AUTO)
    email_interval_minutes = models.PositiveIntegerField(
        _("summary email interval (minutes)"),
        null=True,
        blank=True,
        help_text=_("At most one summary email of routine notices per this many minutes. Empty: the agency's default."),
    )
    instant_kinds = models.JSONField(_("notices that come at once"), default=list, blank=True)
    signature = models.TextField(
        _("signature"), blank=True, max_length=1000, help_text=_("Added below your replies to customers.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personal settings")
        verbose_name_plural = _("personal settings")

    def __str__(self):
        return f"{self.user_id}: {self.language or '-'}"
