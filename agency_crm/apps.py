from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AgencyCrmConfig(AppConfig):
    name = "agency_crm"
    verbose_name = _("Gonggam CRM")

    def ready(self):
        from . import roles
        from .preferences import middleware  # noqa: F401  (copies settings into the session at login)

        # Groups need the permissions that Django creates in post_migrate, so they are
        # (re)created right after it, idempotently; this also restores them after a test flush.
        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="agency_crm.ensure_role_groups")

        # Whoever opens an invitation link becomes that colleague: managers reading the outbox
        # see "[invitation link hidden]" instead.
        from .outbox import redaction

        redaction.register_customer_link(url_name="team:accept", label=_("[invitation link hidden]"))

        # An offboarding that ends in a deactivation asks the team's rule (never the last
        # manager) and leaves an entry on the team's audit list.
        from clients import offboarding

        from .team.members import member_check_deactivation, member_record_deactivation

        offboarding.on_deactivation(check=member_check_deactivation, done=member_record_deactivation)
