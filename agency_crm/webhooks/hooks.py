"""Who hears of an endpoint the webhooks disabled (a 410, or three days of failures).

`agency_crm` never imports the apps; `followups` registers a handler in its AppConfig.ready()
that raises a notice in the bell of the endpoint's owner and every manager. A handler is called as
`handler(endpoint)` inside the transaction that disables the endpoint, so the notice and the
change commit together, once (endpoint.disabled_reason says why).
"""

from __future__ import annotations

from collections.abc import Callable

_handlers: list[Callable] = []


def on_endpoint_disabled(handler: Callable) -> Callable:
    """Register `handler(endpoint)`. Registering the same function twice keeps one."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def endpoint_disabled(endpoint) -> None:
    for handler in _handlers:
        handler(endpoint)
