"""Outgoing webhooks: the endpoints managers register, the events the apps emit, one delivery per
event and endpoint (written in the transaction of the change), and every attempt of it (the log)."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Bumped when an event's envelope or a data field changes meaning; receivers read it per event.
API_VERSION = "2026-12-08"


class EventType(models.TextChoices):
    CLIENT_CREATED = "client.created", _("A client was added")
    CLIENT_UPDATED = "client.updated", _("A client's details changed")
    CONTACT_CREATED = "contact.created", _("A contact was added")
    INQUIRY_CREATED = "inquiry.created", _("An inquiry was opened")
    INQUIRY_STATUS_CHANGED = "inquiry.status_changed", _("An inquiry's status changed")
    PROPOSAL_SENT = "proposal.sent", _("A proposal was sent")
    PROPOSAL_ACCEPTED = "proposal.accepted", _("A customer accepted a proposal")
    MESSAGE_RECEIVED = "message.received", _("A customer message arrived (any channel)")
    MESSAGE_SENT = "message.sent", _("A reply was sent to a customer")
    CONVERSATION_ASSIGNED = "conversation.assigned", _("A conversation got a new owner")
    WAIT_BREACHED = "wait.breached", _("A customer waited past the response target")
    CHECKIN_DUE = "checkin.due", _("A check-in came due")
    FEEDBACK_RECEIVED = "feedback.received", _("A customer left feedback")
    PING = "ping", _("Ping (the Send ping button)")


# Events an endpoint can choose; ping is sent only when a manager presses Send ping.
SUBSCRIBABLE = [choice for choice in EventType.choices if choice[0] != EventType.PING]


class WebhookEndpoint(models.Model):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Sealed with agency_crm.sealing: the secret must be read back to sign, so it cannot be a hash.
    secret_sealed = models.TextField(editable=False)
    # During a rotation the previous secret signs too, until previous_secret_until.
    previous_secret_sealed = models.TextField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=300, blank=True)
    # The endpoint's owner: told with the managers when it is disabled.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["url", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return event_type == EventType.PING or event_type in self.events


class WebhookEvent(models.Model):
    """One thing that happened, as every endpoint receives it (the envelope's id is `public_id`)."""

    public_id = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=40, choices=EventType.choices)
    data = models.JSONField(default=dict)
    api_version = models.CharField(max_length=20, default=API_VERSION)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.type} {self.public_id}"

    def envelope(self) -> dict:
        return {
            "id": self.public_id,
            "type": self.type,
            "created_at": self.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "api_version": self.api_version,
            "data": self.data,
        }


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # An event reaches an endpoint once (Redeliver sends the same row again).
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once_per_endpoint"),
        ]
        indexes = [
            # The head of an endpoint's line: endpoint = ? AND status IN (pending, sending) ORDER BY id.
            models.Index(
                fields=["endpoint", "id"],
                condition=Q(status__in=["pending", "sending"]),
                name="webhook_delivery_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery, as sent and as answered (the delivery log)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    request_headers = models.JSONField(default=dict)
    request_body = models.TextField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S} → {self.status_code or self.error}"
