"""The KakaoTalk gateway: what Gonggam asks of a 상담톡 dealer and an AlimTalk provider.

Each adapter (`happytalk`, `nhncloud`) turns these calls into its provider's HTTP API through
httpx with timeouts. Every failure is one of two errors: `GatewayRetryable` (the provider could
not take it now: a timeout, a refused connection, a 5xx, a 429; the outbox tries again later)
or `GatewayFinal` (refused for good: bad credentials, an unknown user, a text too long, a
template that does not match; trying again cannot help).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

# Kakao's limit for one chat message (Happytalk: `message` String(1000)).
CHAT_MAX_CHARS = 1000


class GatewayError(Exception):
    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


class GatewayRetryable(GatewayError):
    """Try again later: the provider is down, slow or busy."""


class GatewayFinal(GatewayError):
    """Refused for good: the same request will be refused again."""


class InboundRejected(Exception):
    """A webhook delivery that is not the provider's (404: nothing here for a prober), or not a
    message we understand (400)."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class InboundAttachmentRef:
    kind: str  # "image" or "file"
    url: str
    filename: str = ""
    size: int = 0


@dataclass(frozen=True)
class InboundChat:
    """One customer message from the webhook, in the gateway's terms."""

    provider_message_id: str
    user_key: str
    text: str
    occurred_at: dt.datetime
    nickname: str = ""
    phone: str = ""
    attachments: tuple[InboundAttachmentRef, ...] = ()
    # The customer left the chat (or blocked the channel): nothing can be sent until they write.
    ended: bool = False


@dataclass(frozen=True)
class ChatFile:
    """A photo (`kind` "image", sent as IM) or a file ("file", sent as FI) for a chat message."""

    kind: str
    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class ChatSent:
    serial_number: str
    duplicate: bool = False  # the provider had it already: an earlier attempt got through


@dataclass(frozen=True)
class SmsFallback:
    """What to send by SMS/LMS when AlimTalk cannot reach the phone (no KakaoTalk, blocked)."""

    sender_no: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class AlimTalkSent:
    request_id: str
    result_code: str
    result_message: str = ""


@dataclass(frozen=True)
class DeliveryResult:
    request_id: str
    recipient_no: str
    message_status: str  # e.g. COMPLETED, FAILED, SENDING
    result_code: str
    sms_fallback_status: str = ""  # e.g. RSC01 (not needed) .. RSC05 (failed)
    final: bool = False


@dataclass(frozen=True)
class TestOutcome:
    ok: bool
    message: str


class ChatGateway(Protocol):
    name: str

    def send_chat(self, *, user_key: str, serial_number: str, text: str) -> ChatSent: ...

    def send_file(self, *, user_key: str, serial_number: str, file: ChatFile) -> ChatSent: ...

    def end_chat(self, *, user_key: str) -> None: ...

    def verify(self, request, *, secret: str) -> None: ...

    def parse_inbound(self, request) -> list[InboundChat]: ...

    def test(self) -> TestOutcome: ...


class AlimTalkGateway(Protocol):
    name: str

    def send_alimtalk(
        self, *, template_code: str, to: str, values: dict[str, str], fallback: SmsFallback | None, idempotency_key: str
    ) -> AlimTalkSent: ...

    def delivery_results(self, *, request_id: str) -> list[DeliveryResult]: ...

    def template_text(self, *, template_code: str) -> str | None: ...

    def test(self) -> TestOutcome: ...


@dataclass
class Credentials:
    base_url: str
    client_id: str = ""
    secret: str = field(default="", repr=False)
    sender_key: str = ""
    timeout: float = 10.0
