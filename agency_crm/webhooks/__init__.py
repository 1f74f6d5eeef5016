"""Outgoing webhooks, signed with the Standard Webhooks scheme (README, "Webhooks").

Public API (import from `agency_crm.webhooks`):

- `webhook_event_emit(*, event_type, data, occurred_at=None) -> WebhookEvent | None`: the apps
  call it inside the transaction of the change, with the event's `data` built beside their service
  (snake_case fields, integer ids, ISO 8601 times). A delivery row per endpoint that wants the
  event is written in that transaction and sent after the commit, in order, retried for three days.
- `hooks.on_endpoint_disabled(handler)`: who hears of an endpoint disabled (followups' bell).
- `iso(moment)`: a datetime as the events write it (UTC, ISO 8601), None stays None.

Names are resolved lazily so that importing this package never loads models too early.
"""

__all__ = ["iso", "webhook_event_emit"]


def iso(moment):
    """`moment` as events carry it: ISO 8601 in UTC with a Z (None stays None)."""
    if moment is None:
        return None
    from datetime import UTC

    if hasattr(moment, "astimezone") and getattr(moment, "tzinfo", None) is not None:
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.isoformat()


def __getattr__(name):
    if name == "webhook_event_emit":
        from .services.events import webhook_event_emit

        return webhook_event_emit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
