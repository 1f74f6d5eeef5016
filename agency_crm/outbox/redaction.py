"""Customer-only links, hidden wherever staff or another customer see an email.

A self-service, feedback, unsubscribe or proposal link is the customer's key: whoever opens it
reads and writes as the customer, answers, opts out or accepts, and a colleague who rated their
own work would inflate their own figures. The stored email keeps the link (the customer needs
it); every page that shows an email or a message to someone else (the outbox preview, a reply
quoting our email in a conversation, on the received-mail page or on a colleague's self-service
page) passes its text through `hide_customer_links` (or `_html` for an HTML part), which puts a
label such as "[feedback link hidden]" in its place.

The apps that own such links register them by URL name (followups registers self-service,
feedback and unsubscribe in FollowupsConfig.ready(), inquiries the proposal's), so the outbox
never imports them.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape

_PLACEHOLDER = "customer-link-token"
# A signed token: django.core.signing's URL-safe base64 parts joined by ":" (a leading "." marks
# a compressed payload), ending in a signature of at least 27 characters, so another site's short
# path (/p/abc:def/) stays. A full stop after it ends the sentence, not the token.
_TOKEN = r"\.?[A-Za-z0-9_\-]+(?::[A-Za-z0-9_\-]+)*:[A-Za-z0-9_\-]{27,}"
# Any host, or none (a path alone is still a working link on our site).
_HOST = r"(?:https?://[^\s/\"'<>]+)?"

_links: dict[str, object] = {}
_compiled: list[tuple[re.Pattern, object]] | None = None


def register_customer_link(*, url_name: str, label) -> None:
    """Hide links to `url_name` (a route taking one signed token) behind `label` (lazy text).
    Idempotent, so ready() may run twice."""
    global _compiled
    _links[url_name] = label
    _compiled = None


def _patterns() -> list[tuple[re.Pattern, object]]:
    global _compiled
    if _compiled is None:
        patterns = []
        for url_name, label in _links.items():
            prefix, _sep, suffix = reverse(url_name, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
            tail = f"(?:{re.escape(suffix)})?" if suffix else ""
            patterns.append((re.compile(_HOST + re.escape(prefix) + _TOKEN + tail), label))
        _compiled = patterns
    return _compiled


def _hide(text, *, html: bool) -> str:
    text = "" if text is None else str(text)
    for pattern, label in _patterns():
        replacement = escape(str(label)) if html else str(label)
        text = pattern.sub(lambda _match, r=replacement: r, text)
    return text


def hide_customer_links(text) -> str:
    """Plain text with every customer-only link replaced by its label (still to be escaped)."""
    return _hide(text, html=False)


def hide_customer_links_html(html) -> str:
    """An HTML part with every customer-only link replaced by its label, itself escaped."""
    return _hide(html, html=True)
