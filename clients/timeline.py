"""The client timeline API: every app records its events here with its own `kind`."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from .models import Client, TimelineEvent


def timeline_record(
    *,
    client: Client,
    kind: str,
    summary: str,
    actor=None,
    occurred_at: datetime | None = None,
    body: str = "",
    url: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append an event to a client's timeline. Call it inside the transaction of the action."""
    return TimelineEvent.objects.create(
        client=client,
        kind=kind,
        summary=summary[:500],
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        body=body,
        url=url,
        data=data or {},
    )
