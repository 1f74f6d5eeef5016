"""The self-service page's magic link: signed, expiring, and bound to the contact's address.

The token carries the contact's id, a digest of its email address and the contact's
`links_version`: changing the address, turning off `portal_access` or "sign out everywhere"
raises the version (clients.services), so every link sent before stops working and stays stopped
when the change is undone. Nothing else in the token is trusted; the client is always the
contact's own.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from clients.models import Contact

PORTAL_SALT = "followups.portal"


class PortalLinkInvalid(Exception):
    """The link was tampered with, has expired, or no longer opens the page for its contact."""


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def portal_token(contact: Contact) -> str:
    payload = {"c": contact.pk, "e": _digest(contact.email), "v": contact.links_version}
    return signing.dumps(payload, salt=PORTAL_SALT, compress=True)


def portal_url(contact: Contact) -> str:
    return settings.SITE_URL + reverse("followups:portal_home", args=[portal_token(contact)])


def portal_may_use(contact: Contact) -> bool:
    client = contact.client
    return bool(contact.email) and contact.portal_access and not client.is_archived and not client.is_placeholder


def portal_contact(token: str) -> Contact:
    """The contact a link opens the page for; raises PortalLinkInvalid."""
    try:
        data = signing.loads(token, salt=PORTAL_SALT, max_age=timedelta(days=settings.PORTAL_LINK_MAX_AGE_DAYS))
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise PortalLinkInvalid(str(exc)) from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("c"), int)
        or not isinstance(data.get("e"), str)
        or not isinstance(data.get("v", 0), int)
    ):
        raise PortalLinkInvalid("unexpected payload")
    contact = Contact.objects.select_related("client__account_owner").filter(pk=data["c"]).first()
    if (
        contact is None
        or _digest(contact.email) != data["e"]
        # Links sent before versions existed carry none: version 0, until the first revocation.
        or data.get("v", 0) != contact.links_version
        or not portal_may_use(contact)
    ):
        raise PortalLinkInvalid("the contact may not use the page")
    return contact


def portal_signature_url(*, client, to: list[str], dry_run: bool = False) -> str:
    """The self-service link in the signature of an email to `client`'s people: the outbox's
    provider (registered in FollowupsConfig.ready()); "" when the recipient is not a contact who
    may use the page."""
    addresses = {address.strip().lower() for address in to if address}
    if len(addresses) != 1:
        return ""  # a link is personal: never one in an email to several people
    (address,) = addresses
    for contact in Contact.objects.filter(client=client, email__iexact=address).select_related("client")[:5]:
        if portal_may_use(contact):
            return portal_url(contact)
    return ""
