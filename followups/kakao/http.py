"""One place where the adapters call their providers: httpx with timeouts, and the mapping of
transport trouble onto the gateway's two errors."""

from __future__ import annotations

import httpx

from .gateway import GatewayFinal, GatewayRetryable


def call(
    method: str, url: str, *, timeout: float, headers: dict, json=None, params=None, data=None, files=None
) -> httpx.Response:
    """The provider's answer, whatever its status; a network failure is GatewayRetryable.
    `data` and `files` make a multipart/form-data body (an upload)."""
    try:
        return httpx.request(
            method, url, headers=headers, json=json, params=params, data=data, files=files, timeout=timeout
        )
    except httpx.TimeoutException as exc:
        raise GatewayRetryable(f"no answer within {timeout:g}s: {type(exc).__name__}") from exc
    except httpx.TransportError as exc:
        # Refused, reset, unknown host: the provider (or our network) is down for now.
        raise GatewayRetryable(f"{type(exc).__name__}: {exc}") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise GatewayFinal(f"the provider's address is not usable: {exc}") from exc


def raise_for_http(response: httpx.Response) -> None:
    """5xx and 429 are retried (the provider is busy or broken now); other 4xx are final."""
    status = response.status_code
    if status >= 500 or status in (408, 425, 429):
        raise GatewayRetryable(f"HTTP {status}: {response.text[:300]}", code=str(status))
    if status >= 400:
        raise GatewayFinal(f"HTTP {status}: {response.text[:300]}", code=str(status))


def json_body(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        # A 2xx that is not JSON: a proxy's page, not the provider. Worth another try.
        raise GatewayRetryable(f"HTTP {response.status_code} without JSON: {response.text[:200]}") from exc
    return body if isinstance(body, dict) else {"data": body}
