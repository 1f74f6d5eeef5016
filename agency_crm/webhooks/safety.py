"""Which webhook URLs we may call: http(s) to public addresses only.

A receiver's URL is checked when a manager saves it and again before every request, because a
name can resolve to a public address at save time and to 127.0.0.1 or the cloud's metadata
address (169.254.169.254) later (DNS rebinding). The request then goes to the very address that
was checked (agency_crm.webhooks.sending), never to a second lookup. WEBHOOKS_ALLOW_PRIVATE_URLS
lifts the address rule for development (a receiver on localhost).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeURLError(Exception):
    """The URL may not be called; str(error) says why, in the reader's language."""


def _address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # is_global is false for loopback, private, link-local (the metadata address 169.254.169.254),
    # shared (100.64/10), documentation, reserved and unspecified ranges; multicast is no receiver.
    return address.is_global and not address.is_multicast


def url_resolve(url: str) -> tuple[str, int, list[str]]:
    """(host, port, addresses) of an http(s) URL, every address checked; raises UnsafeURLError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(_("This is not a valid URL.")) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError(_("The URL must start with http:// or https:// and name a host."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError(_("The URL may not contain a user name or password."))
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeURLError(_("The host name %(host)s could not be resolved.") % {"host": host}) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeURLError(_("The host name %(host)s could not be resolved.") % {"host": host})
    if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        for address in addresses:
            if not _address_is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise UnsafeURLError(
                    _("%(host)s resolves to %(address)s, a private or local address: webhooks go to public ones only.")
                    % {"host": host, "address": address}
                )
    return host, port, addresses


def url_check(url: str) -> None:
    """Raises UnsafeURLError unless `url` may be called now."""
    url_resolve(url)
