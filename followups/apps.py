from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # Registries of the ground floor (clients); both registrations are idempotent.
        from clients import offboarding, search

        from .offboarding import OpenConversationsProvider
        from .search import MessageSearchProvider

        search.register(MessageSearchProvider())
        offboarding.register(OpenConversationsProvider())
