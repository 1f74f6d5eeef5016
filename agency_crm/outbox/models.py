"""The outbox row: one email the system decided to send, written in the transaction of the action
that caused it, and delivered afterwards by agency_crm.outbox.tasks.deliver_email."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        REMINDER = "reminder", _("Reminder")
        CHECKIN = "checkin", _("Check-in")
        FEEDBACK_REQUEST = "feedback_request", _("Feedback request")
        PROPOSAL = "proposal", _("Proposal")
        WEEKLY_REVIEW = "weekly_review", _("Weekly review")
        SELF_SERVICE_LINK = "self_service_link", _("Self-service link")
        INVITATION = "invitation", _("Invitation to join the team")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # "" is email over SMTP; another value names a channel registered in
    # agency_crm.outbox.transports (a KakaoTalk reply), delivered by the same retries.
    transport = models.CharField(_("channel"), max_length=32, blank=True, default="")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)

    from_email = models.CharField(_("from"), max_length=320)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    reply_to = models.CharField(_("reply-to"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    text_body = models.TextField(_("text part"))
    html_body = models.TextField(_("HTML part"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    template = models.CharField(_("template"), max_length=200, blank=True)

    # The stored Message-ID lets receivers (and our own IMAP threading) recognise this message,
    # and lets them drop a duplicate if a crash after SMTP accepted it makes us send it twice.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.JSONField(_("References"), default=list, blank=True)
    # Extra headers, e.g. Auto-Submitted on automatic mail and List-Unsubscribe on check-ins.
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)

    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Temporary failures are retried until OUTBOX_GIVE_UP_AFTER seconds after the first attempt
    # (reset by "Retry sending"), whatever the number of attempts.
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    # Attempts cut off by a dying worker (the lease ran out); OUTBOX_MAX_ATTEMPTS of them fail the row.
    interrupted_attempts = models.PositiveIntegerField(_("interrupted attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # When the current (or last) delivery attempt claimed the row: a "sending" row older than
    # the lease belongs to a worker that died, and the sweep returns it to pending.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
    )
    # What caused this email, so its app can find it again, e.g. {"conversation_id": 12}.
    related = models.JSONField(_("related objects"), default=dict, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: status = 'pending' AND next_attempt_at <= now ORDER BY next_attempt_at.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="outbox_pending_due_idx"),
            # The sweep's lease recovery: status = 'sending' AND claimed_at < now - lease.
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="outbox_sending_claimed_idx"),
            # The outbox page: optional status filter, newest first.
            models.Index(fields=["status", "-created_at"], name="outbox_status_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_has_sent_at"
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def give_up_at(self):
        """When temporary failures stop being retried (None before the first attempt)."""
        if self.first_attempt_at is None:
            return None
        return self.first_attempt_at + timedelta(seconds=settings.OUTBOX_GIVE_UP_AFTER)


def outbound_attachment_path(instance, filename):
    return f"outbox/{timezone.now():%Y/%m}/{instance.email_id}/{filename[-100:]}"


class OutboundAttachment(models.Model):
    """A file sent with an outbox email (stored, so a retry sends the same bytes)."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), upload_to=outbound_attachment_path, max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("email attachment")
        verbose_name_plural = _("email attachments")

    def __str__(self):
        return self.filename
