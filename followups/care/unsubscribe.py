"""Unsubscribing a contact from check-in emails by a signed link."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from clients.models import Contact
from clients.timeline import timeline_record

from .links import UNSUBSCRIBE_SALT, FeedbackLinkInvalid


def may_email_about_care(contact: Contact | None) -> bool:
    """Whether check-in and feedback emails may go to this contact: a valid address, not unsubscribed."""
    if contact is None or not contact.email:
        return False
    try:
        validate_email(contact.email)
    except ValidationError:
        return False
    return contact.accepts_checkins


def unsubscribe_contact_load(*, signed_token: str) -> Contact:
    try:
        contact_id = signing.loads(signed_token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise FeedbackLinkInvalid from exc
    contact = Contact.objects.select_related("client").filter(pk=contact_id).first()
    if contact is None:
        raise FeedbackLinkInvalid
    return contact


def contact_unsubscribe_checkins(*, contact: Contact) -> bool:
    """The contact asked for no more check-in emails. False if they had already."""
    with transaction.atomic():
        if not Contact.objects.filter(pk=contact.pk, accepts_checkins=True).update(accepts_checkins=False):
            return False
        timeline_record(
            client=contact.client,
            kind="checkin.unsubscribed",
            summary=gettext_noop("%(name)s unsubscribed from check-in emails"),
            params={"name": contact.name},
            url=reverse("clients:detail", args=[contact.client_id]),
            data={"contact_id": contact.pk},
        )
    return True
