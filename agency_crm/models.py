from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agency.models import AgencySettings  # noqa: F401

# The email outbox lives in its own module of this app (agency_crm.outbox).
from .outbox.models import OutboundEmail  # noqa: F401
from .preferences.models import Preferences  # noqa: F401
from .team.models import Invitation, SignInPolicy, TeamEvent  # noqa: F401

# Outgoing webhooks live in agency_crm.webhooks.
from .webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent  # noqa: F401


class AgencyPermission(models.Model):
    """Holds the agency-wide permissions that are not about one model (no table).

    Roles are Django groups holding these; see agency_crm/roles.py.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", _("Can see manager dashboards and the weekly review")),
            ("reassign_work", _("Can reassign clients, conversations and check-ins")),
            ("archive_clients", _("Can archive and restore clients")),
            ("manage_staff", _("Can deactivate staff accounts (offboarding)")),
            ("manage_policies", _("Can edit response policies, calendars and check-in plans")),
        ]

    def __str__(self):
        return "agency permissions"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the periodic heartbeat task (shown by /healthz)."""

    name = models.CharField(max_length=100, unique=True)
    last_seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} @ {self.last_seen_at:%Y-%m-%d %H:%M:%S}"


class ChecklistDismissal(models.Model):
    """A manager hid the first-run checklist of their home page (agency_crm.checklist)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checklist_dismissal")
    dismissed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user_id} @ {self.dismissed_at:%Y-%m-%d}"
