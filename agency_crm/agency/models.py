from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencySettings(models.Model):
    """One row (pk=1), edited by managers on /settings/agency/. An empty field means the
    environment's default (see agency_crm.agency.selectors)."""

    name = models.CharField(_("agency name"), max_length=100, blank=True)
    sender_name = models.CharField(
        _("sender name of customer email"), max_length=100, blank=True, help_text=_("Empty: the agency name.")
    )
    sender_address = models.EmailField(_("sender address of customer email"), blank=True)
    # None: never set here, CONTACT_FORM_ALLOWED_ORIGINS applies; [] : no site may embed the form.
    embed_origins = models.JSONField(_("sites that may embed the contact form"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency settings")
        verbose_name_plural = _("agency settings")

    def __str__(self):
        return str(_("Agency settings"))
