"""KakaoTalk: the channel's settings, who is who on Kakao, what came in, what went out.

- `KakaoChannel`: singleton (pk=1), the agency's 상담톡 dealer and AlimTalk provider, their
  credentials sealed (agency_crm.sealing) and never shown again, the inbound webhook's secret path.
- `KakaoUser`: one Kakao user key (the provider's id of a customer on the agency's channel), its
  contact once known, and when they last wrote (the 30-day session runs from it).
- `KakaoContactPreference`: per contact, the mobile number for AlimTalk, the consent, the stop.
- `KakaoInbound`: one delivered webhook, deduplicated by the provider's message id.
- `KakaoAttachment`: an image or file that came with an inbound message.
- `AlimTalkTemplate`: a template the agency got approved, as registered (code, text, buttons).
- `KakaoDelivery`: what the provider said about one outbox row (a chat reply, an AlimTalk notice,
  its SMS fallback).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AlimTalkTemplate",
    "KakaoAttachment",
    "KakaoChannel",
    "KakaoContactPreference",
    "KakaoDelivery",
    "KakaoInbound",
    "KakaoUser",
]

# Kakao's rule for 상담톡: the business may answer until 30 days after the customer's last message.
SESSION_DAYS = 30


class KakaoChannel(models.Model):
    class ChatProvider(models.TextChoices):
        NONE = "", _("Not connected")
        HAPPYTALK = "happytalk", _("Happytalk (상담톡)")

    class AlimTalkProvider(models.TextChoices):
        NONE = "", _("Not connected")
        NHN_CLOUD = "nhncloud", _("NHN Cloud (알림톡)")

    chat_provider = models.CharField(_("chat provider"), max_length=20, choices=ChatProvider.choices, blank=True)
    chat_base_url = models.URLField(_("chat API address"), blank=True)
    chat_client_id = models.CharField(_("Happytalk key ID"), max_length=200, blank=True)
    chat_client_secret_sealed = models.TextField(_("Happytalk secret (sealed)"), blank=True)
    chat_sender_key = models.CharField(_("sender key"), max_length=40, blank=True)
    alimtalk_provider = models.CharField(
        _("AlimTalk provider"), max_length=20, choices=AlimTalkProvider.choices, blank=True
    )
    alimtalk_base_url = models.URLField(_("AlimTalk API address"), blank=True)
    alimtalk_appkey = models.CharField(_("app key"), max_length=100, blank=True)
    alimtalk_secret_sealed = models.TextField(_("secret key (sealed)"), blank=True)
    alimtalk_sender_key = models.CharField(_("AlimTalk sender key"), max_length=40, blank=True)
    sms_sender_no = models.CharField(_("SMS fallback sender number"), max_length=20, blank=True)
    # The inbound webhook is /kakao/inbound/<inbound_secret>/: the provider signs nothing, so the
    # unguessable path (compared in constant time) is what proves a delivery is theirs.
    inbound_secret = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_test_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True)
    last_test_message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("KakaoTalk channel")
        verbose_name_plural = _("KakaoTalk channel")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="kakao_channel_singleton")]

    def __str__(self):
        return str(self._meta.verbose_name)


class KakaoUser(models.Model):
    user_key = models.CharField(_("Kakao user key"), max_length=100, unique=True)
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="kakao_users"
    )
    nickname = models.CharField(_("name on Kakao"), max_length=200, blank=True)
    phone = models.CharField(_("phone the provider gave"), max_length=30, blank=True)
    # The latest conversation their messages went to: continued while it is not closed.
    conversation = models.ForeignKey(
        "followups.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_inbound_at = models.DateTimeField(_("last message from them"), null=True, blank=True)
    # The chat was ended (by us, by them, or they blocked the channel): no reply until they write.
    session_ended_at = models.DateTimeField(_("chat ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kakao user")
        verbose_name_plural = _("Kakao users")

    def __str__(self):
        return self.nickname or self.user_key

    @property
    def session_ends_at(self):
        if self.last_inbound_at is None:
            return None
        return self.last_inbound_at + timedelta(days=SESSION_DAYS)

    def session_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.last_inbound_at is None or now >= self.session_ends_at:
            return False
        return self.session_ended_at is None or self.session_ended_at < self.last_inbound_at


class KakaoContactPreference(models.Model):
    """AlimTalk goes only to a mobile number whose owner agreed; a stop ends it at once."""

    contact = models.OneToOneField("clients.Contact", on_delete=models.CASCADE, related_name="kakao_preference")
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    alimtalk_consent = models.BooleanField(_("agreed to AlimTalk notices"), default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    # Set by an inbound "stop"/"수신거부" or by staff: nothing goes out by Kakao from then on.
    stopped_at = models.DateTimeField(_("asked to stop"), null=True, blank=True)

    class Meta:
        verbose_name = _("KakaoTalk preference")
        verbose_name_plural = _("KakaoTalk preferences")

    def __str__(self):
        return f"{self.contact_id} {self.mobile}"

    @property
    def may_receive_alimtalk(self) -> bool:
        return bool(self.mobile) and self.alimtalk_consent and self.stopped_at is None


class KakaoInbound(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Imported")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Could not import")

    provider = models.CharField(max_length=20)
    # Providers deliver again when our answer is slow or lost: the unique id makes it once.
    provider_message_id = models.CharField(max_length=100)
    user_key = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True)
    message = models.OneToOneField(
        "followups.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="kakao_inbound"
    )

    class Meta:
        verbose_name = _("KakaoTalk message received")
        verbose_name_plural = _("KakaoTalk messages received")
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_message_id"], name="kakao_inbound_once"),
        ]

    def __str__(self):
        return f"{self.provider} {self.provider_message_id}"


def kakao_attachment_path(instance, filename):
    return f"kakao/{timezone.now():%Y/%m}/{instance.inbound_id}/{filename[-100:]}"


class KakaoAttachment(models.Model):
    inbound = models.ForeignKey(KakaoInbound, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10)  # "image" or "file"
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    source_url = models.URLField(max_length=1000)
    # Empty when the download failed (the link is kept; the message is not lost for it).
    file = models.FileField(upload_to=kakao_attachment_path, blank=True, max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("KakaoTalk attachment")
        verbose_name_plural = _("KakaoTalk attachments")

    def __str__(self):
        return self.filename


class AlimTalkTemplate(models.Model):
    class Purpose(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        ANSWER_DUE = "answer_due", _("Your answer is due")
        PROPOSAL_SENT = "proposal_sent", _("Proposal sent")
        CHECKIN = "checkin", _("Check-in")
        FEEDBACK_REQUEST = "feedback_request", _("Feedback request")
        CHAT_CLOSED = "chat_closed", _("Chat session ended")
        OTHER = "other", _("Other")

    code = models.CharField(_("template code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("used for"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    # Exactly as approved by Kakao: the provider refuses a message that differs from it.
    text = models.TextField(_("template text"))
    buttons = models.JSONField(_("buttons"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "code"]
        verbose_name = _("AlimTalk template")
        verbose_name_plural = _("AlimTalk templates")

    def __str__(self):
        return f"{self.code} {self.name}"


class KakaoDelivery(models.Model):
    class Kind(models.TextChoices):
        CHAT = "chat", _("Chat reply")
        ALIMTALK = "alimtalk", _("AlimTalk notice")

    outbound_email = models.OneToOneField(
        "agency_crm.OutboundEmail", on_delete=models.CASCADE, related_name="kakao_delivery"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    contact = models.ForeignKey("clients.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    template = models.ForeignKey(AlimTalkTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    request_id = models.CharField(max_length=100, blank=True)
    result_code = models.CharField(max_length=20, blank=True)
    result_message = models.CharField(max_length=500, blank=True)
    # The provider's final word, read back later: delivered, failed, and the SMS fallback's fate.
    message_status = models.CharField(max_length=30, blank=True)
    sms_fallback_status = models.CharField(max_length=30, blank=True)
    results_checked_at = models.DateTimeField(null=True, blank=True)
    # An automatic notice's identity ("proposal_sent:proposal-12", "answer_due:conversation-3:
    # 2026-12-08"): the unique constraint below makes a repeated trigger send nothing.
    notice_key = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("KakaoTalk delivery")
        verbose_name_plural = _("KakaoTalk deliveries")
        constraints = [
            # alimtalk_notice: at most one automatic notice of a kind per conversation (and day) or proposal.
            models.UniqueConstraint(fields=["notice_key"], condition=~Q(notice_key=""), name="kakao_notice_once"),
        ]
        indexes = [
            # delivery_results_sync: AlimTalk rows sent but not yet final, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(kind="alimtalk", results_checked_at__isnull=True),
                name="kakao_delivery_unchecked_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.outbound_email_id}"
