"""The management line's feedback link and the self-service link, in every email to a customer.

Every email ends with the agency's signature and the management line ("Not happy with our
service? Write to ..."). Beside it, customers get a link to the feedback page, where a rating
reaches management at once. Feedback requests belong to `followups`, which registers a provider
in its AppConfig.ready(); `agency_crm` never imports the apps (the same registry pattern as
`clients.search`).

A provider is called inside the caller's transaction as
`provider(client=..., to=[address], related={...}, language="ko", dry_run=False)` and returns an
absolute URL, or "" when it has none for that email. The outbox calls providers only for an email
to one person alone (no Cc, one To): a link is that person's key. With `dry_run` (the composer's
preview) a provider writes nothing and returns any non-empty text when the email would get a link.
"""

from __future__ import annotations

from collections.abc import Callable

FeedbackLinkProvider = Callable[..., str]

# Emails that go to our own staff (the batched notifications, the weekly review, an invitation to
# a future colleague) never get one.
STAFF_KINDS = frozenset({"reminder", "weekly_review", "invitation"})

_provider: FeedbackLinkProvider | None = None


def register_feedback_link(provider: FeedbackLinkProvider | None) -> None:
    """Set (or, with None, remove) the provider. Idempotent, so ready() may run twice."""
    global _provider
    _provider = provider


def feedback_link(*, kind: str, client, to: list[str], related: dict, language: str, dry_run: bool = False) -> str:
    """The link for an email of `kind` to `client`'s people, or "" (staff email, no provider)."""
    if _provider is None or client is None or kind in STAFF_KINDS:
        return ""
    return _provider(client=client, to=to, related=related, language=language, dry_run=dry_run) or ""


# The self-service page (issue 18) belongs to `followups` too: its provider is called as
# `provider(client=..., to=[address], dry_run=False)` and returns the recipient's magic link, or "".
_portal_provider: FeedbackLinkProvider | None = None


def register_portal_link(provider: FeedbackLinkProvider | None) -> None:
    global _portal_provider
    _portal_provider = provider


def portal_link(*, kind: str, client, to: list[str], dry_run: bool = False) -> str:
    """The recipient's self-service link for an email of `kind` to `client`'s people, or ""."""
    if _portal_provider is None or client is None or kind in STAFF_KINDS:
        return ""
    return _portal_provider(client=client, to=to, dry_run=dry_run) or ""
