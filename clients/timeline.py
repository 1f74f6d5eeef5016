"""The client timeline API: every app records its events here with its own `kind`.

`summary` is an untranslated English message marked with `gettext_noop` and `params` its data
(agency_crm.facts): the event is rendered in each reader's language when shown. Never pass an
already translated string: it would be frozen in the language of whoever acted.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from agency_crm import facts

from .models import Client, TimelineEvent


def timeline_record(
    *,
    client: Client,
    kind: str,
    summary: str,
    params: dict[str, Any] | None = None,
    actor=None,
    occurred_at: datetime | None = None,
    body: str | dict = "",
    url: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append an event to a client's timeline. Call it inside the transaction of the action.

    `body` is text someone typed (a note, a message), or a fact we wrote (`facts.fact(...)`)."""
    params = params or {}
    body_message, body_params = (body["m"], body.get("p") or {}) if isinstance(body, dict) else ("", {})
    if body_message:
        body = facts.render_in("en", body_message, body_params)
    return TimelineEvent.objects.create(
        client=client,
        kind=kind,
        message=str(summary)[:300],
        params=params,
        summary=facts.render_in("en", str(summary), params)[:500],
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        body=body,
        body_message=body_message[:300],
        body_params=body_params,
        url=url,
        data=data or {},
    )
