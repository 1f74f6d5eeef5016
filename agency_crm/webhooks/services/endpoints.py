"""Managing endpoints: add, change, rotate the secret, enable, remove; Send ping and Redeliver."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.sealing import secret_seal

from ..models import SUBSCRIBABLE, EventType, WebhookDelivery, WebhookEndpoint, WebhookEvent
from ..safety import UnsafeURLError, url_check
from ..sending import secret_new
from .delivery import SECRET_PURPOSE
from .events import endpoint_schedule, webhook_event_emit

EVENT_CHOICES = frozenset(value for value, _label in SUBSCRIBABLE)


def _clean(*, url: str, events: list[str]) -> list[str]:
    try:
        url_check(url)
    except UnsafeURLError as exc:
        raise ValidationError({"url": str(exc)}) from exc
    unknown = set(events) - EVENT_CHOICES
    if unknown or not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    return [value for value, _label in SUBSCRIBABLE if value in events]


@transaction.atomic
def endpoint_create(*, actor, url: str, events: list[str], description: str = "") -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (returned once: only its sealed form is kept)."""
    events = _clean(url=url, events=events)
    secret = secret_new()
    endpoint = WebhookEndpoint.objects.create(
        url=url,
        events=events,
        description=description,
        secret_sealed=secret_seal(text=secret, purpose=SECRET_PURPOSE),
        created_by=actor,
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, events: list[str], description: str = ""
) -> WebhookEndpoint:
    endpoint.events = _clean(url=url, events=events)
    endpoint.url, endpoint.description = url, description
    endpoint.save(update_fields=["url", "events", "description", "updated_at"])
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret; the old one signs too for WEBHOOKS_SECRET_GRACE_SECONDS, so the receiver can
    switch without losing an event. Returns the new secret (shown once)."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = secret_new()
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_secret_until = timezone.now() + timedelta(seconds=settings.WEBHOOKS_SECRET_GRACE_SECONDS)
    endpoint.secret_sealed = secret_seal(text=secret, purpose=SECRET_PURPOSE)
    endpoint.save(update_fields=["secret_sealed", "previous_secret_sealed", "previous_secret_until", "updated_at"])
    return secret


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint) -> bool:
    """Turn a disabled endpoint back on; its waiting deliveries go out in order."""
    enabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=False).update(
        is_active=True, disabled_at=None, disabled_reason="", updated_at=timezone.now()
    )
    if enabled:
        endpoint_schedule(endpoint_id=endpoint.pk)
    return bool(enabled)


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
    # Events nobody will receive any more.
    WebhookEvent.objects.filter(deliveries__isnull=True).delete()


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookEvent | None:
    """Queue a ping to this endpoint alone (None when it is disabled)."""
    return webhook_event_emit(
        event_type=EventType.PING, data={"endpoint_id": endpoint.pk, "url": endpoint.url}, endpoints=[endpoint]
    )


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> bool:
    """Send a finished delivery again with the same webhook-id and a fresh retry schedule.
    False while it is still on its way."""
    Status = WebhookDelivery.Status
    again = WebhookDelivery.objects.filter(pk=delivery.pk, status__in=[Status.DELIVERED, Status.FAILED]).update(
        status=Status.PENDING, attempts=0, first_attempt_at=None, next_attempt_at=timezone.now(), finished_at=None
    )
    if again:
        endpoint_schedule(endpoint_id=delivery.endpoint_id)
    return bool(again)
