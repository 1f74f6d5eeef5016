"""Who hears of an internal email the outbox gave up on.

An email to a client's people that fails is on that client's timeline (the outbox writes it).
An internal one has no client: a reminder digest, the weekly review. Nobody would notice it
never arrived, and the notifications it listed are already marked as emailed. `followups`
registers a handler in its AppConfig.ready() that raises a notice to every manager (in the bell
only: the mail server may be what failed); `agency_crm` never imports the apps (the same
registry pattern as `agency_crm.outbox.signature`).

A handler is called as `handler(email)` with the failed OutboundEmail, inside the transaction
that marks it failed, so the notice and the failure commit together, once.
"""

from __future__ import annotations

from collections.abc import Callable

_handlers: list[Callable] = []


def on_internal_email_failed(handler: Callable) -> Callable:
    """Register `handler(email)`. Registering the same function twice keeps one."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def internal_email_failed(email) -> None:
    for handler in _handlers:
        handler(email)
