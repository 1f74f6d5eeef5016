from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # Registries of the lower floors (clients, agency_crm); every registration is idempotent.
        from clients import offboarding, search

        from .offboarding import OpenConversationsProvider
        from .search import MessageSearchProvider

        search.register(MessageSearchProvider())
        offboarding.register(OpenConversationsProvider())

        # The outbox (agency_crm) asks us for the feedback link beside every email's management line.
        from agency_crm.outbox import signature

        from .services_care import feedback_signature_url

        signature.register_feedback_link(feedback_signature_url)
