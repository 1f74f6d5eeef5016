"""One signed HTTP request to a receiver: the Standard Webhooks headers, the checked address,
short timeouts, no redirects, and at most WEBHOOKS_RESPONSE_MAX_BYTES of the answer read."""

from __future__ import annotations

import base64
import functools
import json
import secrets
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from django.conf import settings
from standardwebhooks import Webhook

from .safety import UnsafeURLError, url_resolve

USER_AGENT = "Gonggam-Webhooks/1"
EXCERPT_CHARS = 2000


def secret_new() -> str:
    """A fresh signing secret in the Standard Webhooks form: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def body_encode(envelope: dict) -> str:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def signature_headers(*, msg_id: str, body: str, secrets_: list[str], at: datetime) -> dict[str, str]:
    """webhook-id, webhook-timestamp and webhook-signature (one v1 signature per secret)."""
    signatures = [Webhook(secret).sign(msg_id=msg_id, timestamp=at, data=body) for secret in secrets_]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


@dataclass
class Answer:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0
    headers: dict = field(default_factory=dict)


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    cap = settings.WEBHOOKS_RESPONSE_MAX_BYTES
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= cap or time.monotonic() > deadline:
            break
    return b"".join(chunks)[:cap]


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes a quarter of a second: once per process, not per request.
    return httpx.create_ssl_context()


def _pinned(url: httpx.URL, address: str) -> httpx.URL:
    return url.copy_with(host=address)


def webhook_post(*, url: str, msg_id: str, body: str, secrets_: list[str]) -> tuple[dict, Answer]:
    """POST `body` to `url`; returns (the request headers, the answer). Never raises for the
    receiver's or the network's faults: they are the answer's `error`."""
    started = time.monotonic()
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        **signature_headers(msg_id=msg_id, body=body, secrets_=secrets_, at=datetime.now(UTC)),
    }
    answer = Answer(headers=headers)
    try:
        host, _port, addresses = url_resolve(url)
    except UnsafeURLError as exc:
        answer.error = str(exc)[:500]
        return headers, answer
    target = httpx.URL(url)
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    deadline = started + 2 * timeout
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    host_header = target.netloc.decode("ascii")
    with httpx.Client(
        timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False, verify=_tls_context()
    ) as client:
        for address in addresses:
            # The request goes to the address url_resolve checked (not to a second lookup that a
            # rebinding name could answer differently); Host and TLS still name the host.
            request = client.build_request(
                "POST",
                _pinned(target, address),
                content=body.encode(),
                headers={**headers, "host": host_header},
                extensions=extensions,
            )
            try:
                response = client.send(request, stream=True)
            except httpx.ConnectError as exc:
                answer.error = f"could not connect: {exc}"[:500]
                continue
            except httpx.HTTPError as exc:
                answer.error = f"{type(exc).__name__}: {exc}"[:500]
                break
            try:
                answer.status_code = response.status_code
                answer.error = ""
                content = _read_capped(response, deadline)
                answer.excerpt = content[: EXCERPT_CHARS * 4].decode("utf-8", "replace")[:EXCERPT_CHARS]
            except httpx.HTTPError as exc:
                # The answer's code counts even when its body breaks off.
                answer.error = f"reading the answer: {type(exc).__name__}: {exc}"[:500]
            finally:
                response.close()
            break
    answer.duration_ms = int((time.monotonic() - started) * 1000)
    return headers, answer
