"""Delivering an endpoint's line of deliveries, in the order of their events, one at a time.

The head of the line is the endpoint's oldest delivery not yet finished. It is claimed with a
conditional update (pending and due -> sending) before the request, so of two workers or a
worker and the sweep only one sends it, and nothing behind it goes out before it finishes:
at most one request per endpoint is in flight. A claim whose worker died is returned to pending
by the sweep after WEBHOOKS_SENDING_LEASE_SECONDS.

Every attempt carries the same webhook-id (the event's id). A 2xx delivers it; a network error,
408, 429 or 5xx is retried after WEBHOOKS_RETRY_SCHEDULE (about 0, 1 min, 5 min, 30 min, 2 h,
6 h, 12 h, 24 h), the last retry falling on the deadline WEBHOOKS_GIVE_UP_AFTER (three days)
after the first attempt; there it gives up, and the endpoint is disabled and its owner and the
managers are told (agency_crm.webhooks.hooks). Any other answer (3xx: redirects are not followed,
other 4xx) fails the delivery at once and the line moves on; 410 Gone also disables the endpoint.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from agency_crm.sealing import secret_open

from .. import hooks
from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..sending import Answer, body_encode, webhook_post

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status
OPEN = (Status.PENDING, Status.SENDING)
SECRET_PURPOSE = "webhooks.endpoint-secret"


def endpoint_secrets(endpoint: WebhookEndpoint, *, now=None) -> list[str]:
    """The secrets that sign now: the current one, and during a rotation's grace the previous."""
    now = now or timezone.now()
    keys = [secret_open(sealed=endpoint.secret_sealed, purpose=SECRET_PURPOSE)]
    if endpoint.previous_secret_sealed and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        keys.append(secret_open(sealed=endpoint.previous_secret_sealed, purpose=SECRET_PURPOSE))
    return keys


def retry_delay(*, attempts: int) -> int:
    """Seconds from the failure of attempt number `attempts` to the next attempt."""
    schedule = settings.WEBHOOKS_RETRY_SCHEDULE
    return schedule[min(attempts, len(schedule) - 1)]


def is_temporary(answer: Answer) -> bool:
    code = answer.status_code
    return code is None or code in (408, 429) or code >= 500


def delivery_claim_next(*, endpoint_id: int, now=None) -> WebhookDelivery | None:
    """Claim the head of an active endpoint's line when it is due, or None."""
    now = now or timezone.now()
    head = (
        WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status__in=OPEN, endpoint__is_active=True)
        .order_by("id")
        .values("pk", "status", "next_attempt_at")
        .first()
    )
    if head is None or head["status"] != Status.PENDING or head["next_attempt_at"] > now:
        return None
    claimed = WebhookDelivery.objects.filter(pk=head["pk"], status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        first_attempt_at=Coalesce(F("first_attempt_at"), now),
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint", "event").get(pk=head["pk"])


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> bool:
    """Disable an endpoint and tell its owner and the managers (once). False if already off."""
    with transaction.atomic():
        if not WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
            is_active=False, disabled_at=timezone.now(), disabled_reason=reason[:300], updated_at=timezone.now()
        ):
            return False
        endpoint.refresh_from_db()
        logger.warning("webhooks: endpoint %s disabled: %s", endpoint.pk, reason)
        hooks.endpoint_disabled(endpoint)
    return True


def delivery_attempt(*, delivery: WebhookDelivery) -> tuple[str, float | None]:
    """Send a claimed delivery once. Returns (outcome, retry_in): "delivered", "retry" (with
    seconds to the next attempt), "failed" (final answer), or "gave_up" (deadline reached)."""
    endpoint, event = delivery.endpoint, delivery.event
    body = body_encode(event.envelope())
    headers, answer = webhook_post(
        url=endpoint.url, msg_id=event.public_id, body=body, secrets_=endpoint_secrets(endpoint)
    )
    now = timezone.now()
    # Only the attempt that holds the claim may finish it (a worker that outlived its lease
    # cannot overwrite a newer attempt's outcome).
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING, attempts=delivery.attempts)
    summary = answer.error or f"HTTP {answer.status_code}"
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            request_headers=dict(headers),
            request_body=body,
            status_code=answer.status_code,
            response_excerpt=answer.excerpt,
            error=answer.error[:500],
            duration_ms=answer.duration_ms,
        )
        common = {"last_status_code": answer.status_code, "last_error": "" if answer.status_code else summary[:500]}
        code = answer.status_code
        if code is not None and 200 <= code < 300 and not answer.error:
            mine.update(status=Status.DELIVERED, finished_at=now, **common)
            return "delivered", None
        if not is_temporary(answer):
            mine.update(status=Status.FAILED, finished_at=now, **{**common, "last_error": summary[:500]})
            if code == 410:
                endpoint_disable(endpoint=endpoint, reason=f"the receiver answered 410 Gone to {event.public_id}")
            return "failed", None
        give_up_at = delivery.first_attempt_at + timedelta(seconds=settings.WEBHOOKS_GIVE_UP_AFTER)
        if now >= give_up_at:
            spent = (now - delivery.first_attempt_at).total_seconds() / 3600
            if mine.update(status=Status.FAILED, finished_at=now, **{**common, "last_error": summary[:500]}):
                endpoint_disable(
                    endpoint=endpoint,
                    reason=f"{delivery.attempts} attempts over {spent:.1f} hours failed; last: {summary}",
                )
            return "gave_up", None
        next_at = min(now + timedelta(seconds=retry_delay(attempts=delivery.attempts)), give_up_at)
        mine.update(status=Status.PENDING, next_attempt_at=next_at, **{**common, "last_error": summary[:500]})
    logger.info("webhooks: delivery %s failed (%s), retry at %s", delivery.pk, summary, next_at)
    return "retry", max((next_at - now).total_seconds(), 0.0)


def webhook_endpoint_deliver(*, endpoint_id: int, limit: int = 100) -> tuple[int, float | None]:
    """Deliver an endpoint's due line in order. Returns (attempts made, seconds until this must
    run again or None): after a retryable failure the line waits for its head."""
    done = 0
    while done < limit:
        delivery = delivery_claim_next(endpoint_id=endpoint_id)
        if delivery is None:
            return done, None
        outcome, retry_in = delivery_attempt(delivery=delivery)
        done += 1
        if outcome == "retry":
            return done, retry_in
    return done, 0.0


def webhooks_release_stale_claims(*, now=None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.WEBHOOKS_SENDING_LEASE_SECONDS)
    return WebhookDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PENDING, next_attempt_at=now, last_error="the worker sending this stopped; sending again"
    )


def webhooks_due_endpoint_ids(*, now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now, endpoint__is_active=True)
        .values_list("endpoint_id", flat=True)
        .distinct()
        .order_by("endpoint_id")
    )
