"""What the contact form received, and the manager's choice for visitors nobody knows."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebFormSettings(models.Model):
    """A singleton (pk=1): how the form treats a visitor whose address no contact has."""

    class UnknownVisitors(models.TextChoices):
        PROSPECT = "prospect", _("Create a prospect client and contact")
        TRIAGE = "triage", _("Put it in triage, like email from an unknown sender")

    unknown_visitors = models.CharField(
        _("visitors we do not know"), max_length=10, choices=UnknownVisitors.choices, default=UnknownVisitors.PROSPECT
    )

    class Meta:
        verbose_name = _("contact form settings")
        verbose_name_plural = _("contact form settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "WebFormSettings":
        """The saved row, or the defaults (unsaved: reading never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class WebSubmission(models.Model):
    """One post of the contact form, kept whatever became of it."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        FILTERED = "filtered", _("Filtered")
        RELEASED = "released", _("Released")

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", _("A hidden field was filled in")
        TOO_FAST = "too_fast", _("Sent faster than a person can type")
        BAD_TOKEN = "bad_token", _("The form's token was missing, altered or expired")
        REUSED = "reused", _("The form's token was used for an earlier message")
        ERROR = "error", _("Could not be processed; release it to try again")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    filter_reason = models.CharField(_("why it was filtered"), max_length=10, choices=Reason.choices, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    consent = models.BooleanField(_("agreed to be contacted"), default=False)
    language = models.CharField(_("language"), max_length=2, default="ko")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    embedded = models.BooleanField(_("sent from the embedded form"), default=False)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    conversation = models.ForeignKey(
        "followups.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="web_submissions"
    )
    customer_message = models.OneToOneField(
        "followups.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="web_submission"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact form submission")
        verbose_name_plural = _("contact form submissions")
        indexes = [models.Index(fields=["status", "-created_at"], name="websubmission_status_idx")]

    def __str__(self):
        return f"{self.name} <{self.email}>"


def web_attachment_path(instance, filename):
    return f"webform/{timezone.now():%Y/%m}/{instance.submission_id}/{instance.pk or 'new'}-{filename[-100:]}"


class WebAttachment(models.Model):
    submission = models.ForeignKey(WebSubmission, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), upload_to=web_attachment_path, max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact form attachment")
        verbose_name_plural = _("contact form attachments")

    def __str__(self):
        return self.filename


__all__ = ["WebAttachment", "WebFormSettings", "WebSubmission"]
