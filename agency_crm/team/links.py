"""The invitation link: signed (django.core.signing), expiring, built from SITE_URL, and bound to
the invitation's nonce so that a resent invitation's older link stops working."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Invitation

SALT = "gonggam.team.invitation"


class InvitationLinkError(Exception):
    """Why a link does not work, as a sentence for the visitor."""


MESSAGES = {
    "invalid": _("This invitation link is not valid. Ask the manager who invited you to send it again."),
    "expired": _("This invitation has expired. Ask the manager who invited you to send it again."),
    "used": _("This invitation has already been used. Log in with the username and password you chose."),
    "cancelled": _("This invitation was cancelled. Ask a manager of the agency if you think this is a mistake."),
    "replaced": _("A newer invitation was sent to you: use the link in the latest email."),
}


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("team:accept", args=[invitation_token(invitation)])


def max_age_seconds() -> int:
    return settings.TEAM_INVITATION_MAX_AGE_DAYS * 86400


def invitation_from_token(token: str, *, for_update: bool = False) -> Invitation:
    """The open invitation behind `token`, or InvitationLinkError with the reason."""
    # An old link of a used, cancelled or resent invitation says so rather than "expired".
    signature_expired = False
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        signature_expired = True
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvitationLinkError(MESSAGES["invalid"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvitationLinkError(MESSAGES["invalid"])
    invitations = Invitation.objects.select_related("invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=data["i"]).first()
    if invitation is None:
        raise InvitationLinkError(MESSAGES["invalid"])
    if invitation.accepted_at is not None:
        raise InvitationLinkError(MESSAGES["used"])
    if invitation.cancelled_at is not None:
        raise InvitationLinkError(MESSAGES["cancelled"])
    if data.get("n") != invitation.nonce:
        raise InvitationLinkError(MESSAGES["replaced"])
    if signature_expired or invitation.is_expired:
        raise InvitationLinkError(MESSAGES["expired"])
    return invitation
