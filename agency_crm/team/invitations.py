"""Inviting a colleague: send, resend, cancel, accept."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.people import display_name, format_name
from agency_crm.preferences.services import preferences_save

from . import links
from .audit import team_record
from .members import role_assign
from .models import Invitation, Role, new_nonce


def _invitation_email(invitation: Invitation, *, actor) -> None:
    language = invitation.language
    url = links.invitation_url(invitation)
    with translation.override(language):
        subject = _("%(agency)s invites you to Gonggam") % {"agency": settings.AGENCY_NAME}
        context = {
            "invitee_name": format_name(invitation.first_name, invitation.last_name),
            "inviter_name": display_name(actor, empty=settings.AGENCY_NAME),
            "role": str(Role(invitation.role).label),
            "url": url,
            "expires_at": facts.format_moment_for(language, invitation.expires_at),
        }
    outbox_enqueue(
        to=[invitation.email],
        subject=subject,
        template="team_invitation",
        context=context,
        language=language,
        kind=OutboundEmail.Kind.INVITATION,
        related={"invitation_id": invitation.pk},
    )


def invitation_send(
    *, email: str, role: str, language: str, actor, first_name: str = "", last_name: str = ""
) -> Invitation:
    """Invite `email` as `role`; the email is in `language`. Refused for an active colleague's
    address and for an address with an open invitation (resend that one)."""
    email = email.strip()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose Staff or Manager.")})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language.")})
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email, is_active=True).exists():
            raise ValidationError({"email": _("A colleague with this email address already has an account.")})
        if Invitation.objects.filter(email__iexact=email, accepted_at=None, cancelled_at=None).exists():
            raise ValidationError(
                {"email": _("This address has already been invited. Resend that invitation from the team page.")}
            )
        now = timezone.now()
        invitation = Invitation.objects.create(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=role,
            language=language,
            invited_by=actor,
            created_at=now,
            sent_at=now,
            expires_at=now + timedelta(seconds=links.max_age_seconds()),
        )
        _invitation_email(invitation, actor=actor)
        team_record(
            kind="invitation.sent",
            message=gettext_noop("%(actor)s invited %(email)s as %(role)s"),
            params={"actor": facts.person(actor), "email": email, "role": facts.term(Role(role).label)},
            actor=actor,
            invitation=invitation,
        )
    return invitation


def _lock_open(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation was already accepted or cancelled."))
    return invitation


def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """A fresh link (the older one stops working) and a fresh expiry, by email again."""
    with transaction.atomic():
        invitation = _lock_open(invitation)
        now = timezone.now()
        invitation.nonce = new_nonce()
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(seconds=links.max_age_seconds())
        invitation.send_count += 1
        invitation.save(update_fields=["nonce", "sent_at", "expires_at", "send_count"])
        _invitation_email(invitation, actor=actor)
        team_record(
            kind="invitation.resent",
            message=gettext_noop("%(actor)s sent the invitation to %(email)s again"),
            params={"actor": facts.person(actor), "email": invitation.email},
            actor=actor,
            invitation=invitation,
        )
    return invitation


def invitation_cancel(*, invitation: Invitation, actor) -> Invitation:
    with transaction.atomic():
        invitation = _lock_open(invitation)
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        team_record(
            kind="invitation.cancelled",
            message=gettext_noop("%(actor)s cancelled the invitation to %(email)s"),
            params={"actor": facts.person(actor), "email": invitation.email},
            actor=actor,
            invitation=invitation,
        )
    return invitation


def invitation_accept(*, token: str, username: str, first_name: str, last_name: str, password: str, language: str):
    """Create the colleague's account from the invitation behind `token`, once: the row is locked
    and checked again, so two submissions of one link make one account. Raises
    links.InvitationLinkError for a link that no longer works, ValidationError (by field) for the
    form's values, Django's password validators included."""
    User = get_user_model()
    with transaction.atomic():
        invitation = links.invitation_from_token(token, for_update=True)
        username = username.strip()
        errors: dict[str, list[str]] = {}
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("This username is taken. Choose another one.")]
        if language not in dict(settings.LANGUAGES):
            errors["language"] = [_("Choose a language.")]
        user = User(
            username=username,
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password1"] = error.messages
        if errors:
            raise ValidationError(errors)
        user.set_password(password)
        user.save()
        role_assign(user=user, role=invitation.role)
        preferences_save(user=user, changes={"language": language})
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        team_record(
            kind="invitation.accepted",
            message=gettext_noop("%(name)s accepted the invitation and joined as %(role)s"),
            params={"name": facts.person(user), "role": facts.term(Role(invitation.role).label)},
            actor=user,
            person=user,
            invitation=invitation,
        )
    return user
