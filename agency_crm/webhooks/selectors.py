"""Reads of /settings/webhooks/: endpoints with their line's state, a delivery log, attempts."""

from django.db.models import Count, Max, Q

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

Status = WebhookDelivery.Status


def endpoints_list():
    return (
        WebhookEndpoint.objects.annotate(
            waiting=Count("deliveries", filter=Q(deliveries__status__in=[Status.PENDING, Status.SENDING])),
            failed=Count("deliveries", filter=Q(deliveries__status=Status.FAILED)),
            last_delivered_at=Max("deliveries__finished_at", filter=Q(deliveries__status=Status.DELIVERED)),
        )
        .select_related("created_by")
        .order_by("url", "id")
    )


def endpoint_deliveries(*, endpoint: WebhookEndpoint):
    """The delivery log, newest first, with each event (one query per page)."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event").order_by("-id")


def delivery_attempts(*, delivery: WebhookDelivery):
    return WebhookAttempt.objects.filter(delivery=delivery).order_by("-id")
