from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # The registries of lower floors, filled here by the rooms above them (every registration
        # is idempotent). This module is the only place that knows every room.
        from agency_crm.outbox import signature
        from clients import offboarding, search

        from .care.feedback import feedback_signature_url
        from .care.offboarding import OpenCheckinsProvider
        from .conversations import hooks
        from .conversations.offboarding import OpenConversationsProvider
        from .conversations.search import ConversationSearchProvider, MessageSearchProvider
        from .mailin.search import EmailSubjectSearchProvider
        from .mailin.threading import latest_customer_email
        from .reminders.offboarding import ActiveSnoozesProvider
        from .reminders.services import notify_handover, waits_plan_reminders

        search.register(ConversationSearchProvider())
        search.register(EmailSubjectSearchProvider())
        search.register(MessageSearchProvider())
        # Everything a person owns, so offboarding hands it all over (conversations before the
        # snoozes on them).
        offboarding.register(OpenConversationsProvider())
        offboarding.register(OpenCheckinsProvider())
        offboarding.register(ActiveSnoozesProvider())
        # The outbox asks care for the feedback link beside every email's management line.
        signature.register_feedback_link(feedback_signature_url)
        # The clock and handovers of conversations cause reminders' work; mailin threads replies.
        hooks.on_waits_replayed(waits_plan_reminders)
        hooks.on_handed_over(notify_handover)
        hooks.on_thread_parent(latest_customer_email)
