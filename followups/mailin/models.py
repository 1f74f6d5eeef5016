"""Inbound email (issue 6): what arrived, what could not be imported, acknowledgements, triage.

- `InboundEmail`: one received email, deduplicated by its Message-ID (unique). A customer's
  email is also a `Message` in its conversation (and so runs the response clock); an auto-reply
  or bounce is stored here only, linked to its conversation when it threads, and never becomes
  a `Message`, so it cannot start or restart a clock.
- `InboundAttachment`: a stored attachment, downloaded only as an attachment, never inline.
- `MailImportFailure`: the "could not import" list: the raw bytes are kept so staff can retry.
- `UnknownSender`: a conversation opened by an address no contact has, waiting for triage.
- `EmailAcknowledgement`: at most one automatic acknowledgement per conversation per day.
- `MailboxState`: a singleton holding the triage client and the poller's last result.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.indexes import text_search_indexes
from clients.models import Client


class MailSource(models.TextChoices):
    IMAP = "imap", _("IMAP mailbox")
    MBOX = "mbox", _("mbox import")


class InboundEmail(models.Model):
    class Threading(models.TextChoices):
        HEADERS = "headers", _("In-Reply-To / References")
        PLUS_ADDRESS = "plus_address", _("Reply address token")
        SUBJECT = "subject", _("Subject token")
        NEW = "new", _("New conversation")
        NONE = "none", _("Not threaded")

    # The dedupe key: a re-read after a crash (or a second mbox import) finds the row and stops.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    message_id_synthesized = models.BooleanField(_("Message-ID synthesized"), default=False)
    source = models.CharField(_("source"), max_length=8, choices=MailSource.choices)
    conversation = models.ForeignKey(
        "followups.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
        verbose_name=_("conversation"),
    )
    customer_message = models.OneToOneField(
        "followups.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_email",
        verbose_name=_("message"),
    )
    threaded_by = models.CharField(_("threaded by"), max_length=16, choices=Threading.choices)
    from_address = models.CharField(_("from address"), max_length=254, blank=True)
    from_name = models.CharField(_("from name"), max_length=200, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    in_reply_to = models.JSONField(_("In-Reply-To"), default=list, blank=True)
    references = models.JSONField(_("References"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at (Date header)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    text_body = models.TextField(_("text"), blank=True)
    # Sanitised with nh3 (followups.mailin.html) before it is stored; shown in a sandboxed iframe.
    html_body = models.TextField(_("HTML (sanitised)"), blank=True)
    automatic_reason = models.CharField(_("automatic mail"), max_length=100, blank=True)
    defects = models.JSONField(_("parser notes"), default=list, blank=True)
    raw_size = models.PositiveIntegerField(_("size in bytes"), default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [
            # The received-mail page: ORDER BY received_at DESC, id DESC (optionally automatic only).
            models.Index(fields=["-received_at", "-id"], name="inbound_recent_idx"),
            # The conversation page's email panel: WHERE conversation_id = ?.
            models.Index(fields=["conversation", "received_at"], name="inbound_conversation_idx"),
            # Unknown-sender triage looks up earlier mail of one address (case-insensitive).
            models.Index(Lower("from_address"), name="inbound_from_lower_idx"),
            # The search page: clients.search.text_filter(InboundEmail, ["subject"], q).
            *text_search_indexes(prefix="inbound", fields=["subject"]),
        ]

    def __str__(self):
        return self.subject or self.message_id

    @property
    def is_automatic(self) -> bool:
        return bool(self.automatic_reason)


def attachment_path(instance, filename):
    # Never the customer's file name on disk: it is shown and sent as the download name only.
    return f"mail/attachments/{timezone.now():%Y/%m}/{instance.email_id}-{timezone.now():%H%M%S%f}.bin"


class InboundAttachment(models.Model):
    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # Empty when the file was larger than MAILIN_MAX_ATTACHMENT_BYTES (listed, not stored).
    file = models.FileField(_("file"), upload_to=attachment_path, blank=True, max_length=300)
    content_id = models.CharField(_("Content-ID"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("email attachment")
        verbose_name_plural = _("email attachments")

    def __str__(self):
        return self.filename

    @property
    def stored(self) -> bool:
        return bool(self.file)


def failure_path(instance, filename):
    return f"mail/failed/{timezone.now():%Y/%m}/{instance.raw_sha256}.eml"


class MailImportFailure(models.Model):
    """An email that could not be imported; the poller flags it and goes on with the next one."""

    source = models.CharField(_("source"), max_length=8, choices=MailSource.choices)
    # One row per distinct message: a re-read of the same bytes updates the row.
    raw_sha256 = models.CharField(_("SHA-256 of the message"), max_length=64, unique=True)
    raw = models.FileField(_("original message"), upload_to=failure_path, max_length=300)
    raw_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    error = models.TextField(_("error"))
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    created_at = models.DateTimeField(_("first failed at"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed at"), default=timezone.now)
    # Set when a retry imported it (or found it already imported); the row stays for the record.
    resolved_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    inbound_email = models.ForeignKey(InboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-last_failed_at", "-id"]
        verbose_name = _("email that could not be imported")
        verbose_name_plural = _("emails that could not be imported")
        indexes = [
            # The "could not import" page: WHERE resolved_at IS NULL ORDER BY last_failed_at DESC.
            models.Index(
                fields=["-last_failed_at", "-id"],
                condition=models.Q(resolved_at__isnull=True),
                name="mailfailure_open_idx",
            ),
        ]

    def __str__(self):
        return self.summary or self.raw_sha256


class UnknownSender(models.Model):
    """A conversation opened by an address that matches no contact, waiting for triage."""

    conversation = models.OneToOneField(
        "followups.Conversation", on_delete=models.CASCADE, related_name="unknown_sender"
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("attached at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("unknown sender")
        verbose_name_plural = _("unknown senders")

    def __str__(self):
        return self.address or self.name

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class EmailAcknowledgement(models.Model):
    """The automatic "we received your email" reply: at most one per conversation per day."""

    conversation = models.ForeignKey(
        "followups.Conversation", on_delete=models.CASCADE, related_name="acknowledgements"
    )
    # The agency's local date (TIME_ZONE) on which it was sent.
    day = models.DateField(_("day"))
    inbound_email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="+")
    outbound_email = models.ForeignKey(
        "agency_crm.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("email acknowledgement")
        verbose_name_plural = _("email acknowledgements")
        constraints = [
            # services_mailin._acknowledge inserts first and sends only if the insert won.
            models.UniqueConstraint(fields=["conversation", "day"], name="ack_once_per_conversation_day"),
        ]

    def __str__(self):
        return f"{self.conversation_id} {self.day}"


class MailboxState(models.Model):
    """Singleton (pk=1): the client that holds unknown senders, and the poller's last run."""

    triage_client = models.ForeignKey(Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_poll_result = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("mailbox state")
        verbose_name_plural = _("mailbox state")

    def __str__(self):
        return str(_("Mailbox state"))

    @classmethod
    def load(cls) -> "MailboxState":
        state, _created = cls.objects.get_or_create(pk=1)
        return state


class MailboxConnection(models.Model):
    """Singleton (pk=1): the support mailbox a manager connected on /settings/mailbox/. While it
    exists the poller reads it; without it, the IMAP_* settings (a deployment's default).

    The password is sealed (agency_crm.sealing, a key derived from SECRET_KEY) and never shown
    again: a page only says that one is stored."""

    class Security(models.TextChoices):
        SSL = "ssl", _("SSL/TLS (usually port 993)")
        STARTTLS = "starttls", _("STARTTLS (usually port 143)")
        NONE = "none", _("None: only on a network you trust")

    host = models.CharField(_("server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), validators=[MinValueValidator(1), MaxValueValidator(65535)])
    security = models.CharField(_("security"), max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(_("user name"), max_length=255)
    password_sealed = models.TextField(_("password (sealed)"))
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    poll_seconds = models.PositiveIntegerField(
        _("poll every (seconds)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(300)]
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The last *Test the connection*: when, whether it logged in, and what it said.
    last_test_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True)
    last_test_message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("mailbox connection")
        verbose_name_plural = _("mailbox connection")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="mailbox_connection_singleton")]

    def __str__(self):
        return f"{self.username}@{self.host}:{self.port}"


__all__ = [
    "EmailAcknowledgement",
    "InboundAttachment",
    "InboundEmail",
    "MailImportFailure",
    "MailSource",
    "MailboxConnection",
    "MailboxState",
    "UnknownSender",
]
