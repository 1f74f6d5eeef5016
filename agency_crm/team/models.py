"""Invitations, the team's audit events and the agency's sign-in policy."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency_crm import facts


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Role(models.TextChoices):
    """A colleague's role: the Django group of agency_crm/roles.py."""

    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager")


class Invitation(models.Model):
    """A colleague invited by email. Its link carries the nonce: a resend makes a new one, so the
    older link stops working; accepting or cancelling closes the invitation for good."""

    email = models.EmailField(_("email"))
    first_name = models.CharField(_("given name"), max_length=150, blank=True)
    last_name = models.CharField(_("family name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    nonce = models.CharField(max_length=64, default=new_nonce)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # invitation_send: one open invitation per address (a second one is a resend).
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="team_invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class TeamEvent(models.Model):
    """One change to the team, stored as a fact (agency_crm.facts) and shown in the reader's
    language on the audit list."""

    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invitation = models.ForeignKey(Invitation, null=True, on_delete=models.SET_NULL, related_name="events")
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The audit list: newest first, 50 a page.
            models.Index(fields=["-occurred_at", "-id"], name="team_event_newest_idx"),
        ]

    def __str__(self):
        return f"{self.kind} @ {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        """The event in the active language (the reader's)."""
        return facts.render(self.message, self.params)


class SignInPolicy(models.Model):
    """The agency's one row: whether everyone must sign in with an authenticator app."""

    two_factor_required = models.BooleanField(_("require two-factor sign-in for everyone"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policy")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="team_signin_policy_one_row")]

    def __str__(self):
        return "sign-in policy"
