"""Channels besides email that deliver through the outbox (a KakaoTalk reply, an AlimTalk notice).

The outbox keeps its one delivery loop (claim, attempt, back off, give up, sweep) for every
channel, so a provider outage loses nothing whatever the channel. A room above registers a
transport from its AppConfig.ready(): `register(name=..., send=...)`, where `send(email)` delivers
the outbox row `email` (its `to`, `text_body`, `headers`, `related`) and raises
TemporaryDeliveryError to be retried or PermanentDeliveryError to fail the row. The row's
`transport` names it; "" is email over SMTP. The outbox never imports the rooms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class TemporaryDeliveryError(Exception):
    """The server could not take the message now (4xx SMTP, 5xx HTTP, refused, timeout)."""


class PermanentDeliveryError(Exception):
    """The server refused the message for good or it cannot be built."""


@dataclass(frozen=True)
class Transport:
    name: str
    label: str
    send: Callable


_transports: dict[str, Transport] = {}


def register(*, name: str, label, send: Callable) -> None:
    """Add (or replace) a transport; idempotent, so ready() may run twice."""
    _transports[name] = Transport(name=name, label=label, send=send)


def transport_send(email) -> None:
    """Deliver a row through its transport; an unknown one stays pending (its room may be
    registered by a newer release of the worker) rather than failing the message."""
    transport = _transports.get(email.transport)
    if transport is None:
        raise TemporaryDeliveryError(f"no transport {email.transport!r} is registered in this process")
    transport.send(email)


def transport_label(name: str) -> str:
    transport = _transports.get(name)
    return str(transport.label) if transport else name
